import { expect } from 'vitest';
import { AppError } from '../../functions/domain/errors';

/** The AppError a synchronous action throws; fails the test if it throws nothing or something else. */
export function refusal(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}

/** The AppError an asynchronous action (or a promise) rejects with. */
export async function asyncRefusal(action: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an AppError');
}
