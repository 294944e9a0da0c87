import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** CloudFront's limits on the names of account-wide resources. */
export const ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH = 64;
export const RESPONSE_HEADERS_POLICY_NAME_MAX_LENGTH = 128;

/**
 * Room kept for a region that is only known at deploy time (an environment-agnostic stack). The longest
 * region names today have 14 characters (ap-southeast-5, eusc-de-east-1).
 */
const UNRESOLVED_REGION_LENGTH = 20;
const HASH_LENGTH = 8;

/**
 * A name for a CloudFront resource that is unique in the account, not just in the stack: origin access
 * controls and response-headers policies are global, so the same stack deployed in two regions of one
 * account would otherwise ask for the same name twice and the second deployment would fail.
 *
 * The name is `<stack name>-<region>-<purpose>`; when that is too long, the stack name is cut and a hash
 * of the whole stack name keeps two long names with a common prefix apart. Only letters, digits and
 * hyphens are used, which every CloudFront name accepts.
 */
export function accountWideName(scope: IConstruct, purpose: string, maxLength: number): string {
  if (!/^[A-Za-z0-9-]+$/.test(purpose)) throw new Error(`Name purpose "${purpose}" must be [A-Za-z0-9-]`);
  const stack = Stack.of(scope);
  const { stackName, region } = stack;
  const regionLength = Token.isUnresolved(region) ? UNRESOLVED_REGION_LENGTH : region.length;
  const room = maxLength - regionLength - purpose.length - 2;
  if (room < HASH_LENGTH + 1) throw new Error(`No room for the stack name in a ${maxLength}-character name`);
  const stackPart =
    stackName.length <= room
      ? stackName
      : `${stackName.slice(0, room - HASH_LENGTH - 1)}-${createHash('sha256').update(stackName).digest('hex').slice(0, HASH_LENGTH)}`;
  return `${stackPart}-${region}-${purpose}`;
}
