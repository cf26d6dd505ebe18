/** Errors with an API error code, so handlers can say what went wrong precisely. */
import type { ApiErrorCode } from '../api/contract.js';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
