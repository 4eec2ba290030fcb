// What every feature store shares: a call that turns a Result into a value or a remembered error.
import type { ApiError, Result } from '../../src-preload/api/contract.ts';

export interface Failure {
  error: ApiError | null;
}

/** Unwraps a Result; on failure records it with `fail` and returns null. */
export async function settle<T>(result: Promise<Result<T>>, fail: (error: ApiError) => void): Promise<T | null> {
  const r = await result;
  if (r.ok) return r.value;
  fail(r.error);
  return null;
}
