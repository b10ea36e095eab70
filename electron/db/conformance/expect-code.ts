/** Test helper: awaits a call that must fail with the one error shape and a given code. */
import { expect } from 'vitest';
import { StrataError, type ErrorCode } from '../../../shared/errors';

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<StrataError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).code).toBe(code);
    return error as StrataError;
  }
  throw new Error(`expected a ${code} error, but the call succeeded`);
}
