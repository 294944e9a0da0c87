import { expect } from 'vitest';
import { AppError } from '../../functions/domain/errors';

/** The AppError a synchronous action throws; fails the test if it throws nothing or something else. */
export function refusal(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    return checkedRefusal(error);
  }
  throw new Error('expected an AppError');
}

/** The AppError an asynchronous action (or a promise) rejects with. */
export async function asyncRefusal(action: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    return checkedRefusal(error);
  }
  throw new Error('expected an AppError');
}

/** Every refusal is an AppError that says why: the wording is free, an empty message is not. */
function checkedRefusal(error: unknown): AppError {
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).message, 'a refusal says why').not.toBe('');
  return error as AppError;
}
