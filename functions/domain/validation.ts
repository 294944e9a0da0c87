import type { z } from 'zod';
import { AppError, type FieldProblem } from './errors';

/** Turns schema issues into per-field problems, one per unknown key so each is named. */
export function problemsFrom(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const parent = issue.path.join('.');
      return issue.keys.map((key) => ({
        field: parent ? `${parent}.${key}` : key,
        message: `${key} is not a known field`,
      }));
    }
    return [{ field: issue.path.join('.'), message: issue.message }];
  });
}

/** Parses `input` or throws a 400 that lists every problem found, not just the first. */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  what: string,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new AppError('validation_failed', `The ${what} is invalid`, problemsFrom(result.error));
  }
  return result.data;
}
