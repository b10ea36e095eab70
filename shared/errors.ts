/**
 * The one error shape that crosses every boundary (IPC, WebSocket, CLI --json).
 * Anything that is not a StrataError becomes `internal` when serialized, so a
 * stack trace or a driver's raw message never reaches the user unexplained.
 */

export const ERROR_CODES = [
  'invalid-argument',
  'not-found',
  'conflict',
  'cancelled',
  'db-not-sqlite',
  'db-foreign',
  'nzb-invalid',
  'nzb-indexer-error',
  'db-corrupt',
  'db-newer',
  'db-locked',
  'db-readonly',
  // The data folder was opened read-only on purpose (read-only media or permissions): every
  // change is refused before it starts. db-readonly is a write the engine itself refused.
  'read-only',
  'shard-unavailable',
  // The active store is gone, empty or unreadable although control.db recorded it holding data.
  'store-missing',
  // control.db is gone and the folder holds stores it used to name: one must be adopted.
  'control-missing',
  'busy',
  'disk-full',
  'io',
  'closed',
  'pg-archive-invalid',
  'pg-port-in-use',
  'pg-version-mismatch',
  'pg-start-failed',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SerializedError {
  name: string;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export class StrataError extends Error {
  override readonly name = 'StrataError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

export function isStrataError(value: unknown, code?: ErrorCode): value is StrataError {
  return value instanceof StrataError && (code === undefined || value.code === code);
}

export function invalidArgument(message: string, details?: Record<string, unknown>): StrataError {
  return new StrataError('invalid-argument', message, details);
}

export function notFound(message: string, details?: Record<string, unknown>): StrataError {
  return new StrataError('not-found', message, details);
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof StrataError) {
    const out: SerializedError = { name: error.name, code: error.code, message: error.message };
    if (error.details !== undefined) out.details = error.details;
    return out;
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    name: 'StrataError',
    code: 'internal',
    message: `Unexpected error: ${message}. This is a bug in Strata; the log has the details.`,
  };
}

export function deserializeError(value: SerializedError): StrataError {
  const code = (ERROR_CODES as readonly string[]).includes(value.code) ? value.code : 'internal';
  return new StrataError(code, value.message, value.details);
}
