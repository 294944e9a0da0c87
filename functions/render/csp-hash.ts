import { createHash } from 'node:crypto';

/** The CSP source expression that allows exactly this inline script or stylesheet text. */
export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}
