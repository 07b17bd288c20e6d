/**
 * Errors cross every door (IPC, HTTP, CLI) as a code plus parameters.
 * The renderer and the CLI translate the code with i18n (`errors.<code>`).
 */
import type { ErrorCode } from './i18n/error-codes';

export type { ErrorCode };

export interface ErrorPayload {
  /** An `ErrorCode` when made by this version; a string when it comes from elsewhere (another version's file, a log). */
  code: string;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, unknown>;
  /** Commit the call's transaction before failing (e.g. a failed login still counts the attempt). */
  readonly commit: boolean;
  constructor(code: ErrorCode, params: Record<string, unknown> = {}, opts: { commit?: boolean } = {}) {
    super(`${code}${Object.keys(params).length ? ' ' + JSON.stringify(params) : ''}`);
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.commit = opts.commit ?? false;
  }
  /** Throws again an error answered by this version's core (a nested call): its code is one of ours. */
  static fromPayload(p: ErrorPayload): AppError {
    return new AppError(p.code as ErrorCode, p.params ?? {});
  }
  toPayload(): ErrorPayload {
    return { code: this.code, params: this.params };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, params: Record<string, unknown> = {}): Result<never> => ({
  ok: false,
  error: { code, params },
});

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
