/**
 * One presentation for every failed call: a title in the user's words, the error's own
 * message (which says what happened and what to do), and the technical details folded away.
 * A raw stack never reaches the screen: anything that is not a StrataError is `internal`.
 */
import { serializeError, type ErrorCode } from '../../../shared/errors';

export interface ErrorView {
  title: string;
  message: string;
  /** 'warning' for errors that are a normal state of the app (a move running, a cancel). */
  intent: 'error' | 'warning';
  code: ErrorCode;
  details: Record<string, unknown> | null;
}

const TITLES: Partial<Record<ErrorCode, string>> = {
  'invalid-argument': 'That request was not accepted',
  'not-found': 'Not found',
  conflict: 'That would conflict with the catalog',
  cancelled: 'Cancelled',
  'nzb-invalid': 'This NZB file cannot be read',
  'db-corrupt': 'The catalog is damaged',
  'db-newer': 'The catalog was made by a newer Strata',
  'db-locked': 'The catalog is in use',
  'db-readonly': 'The catalog is read-only',
  'shard-unavailable': 'A shard of the catalog is unavailable',
  busy: 'The catalog is busy',
  'disk-full': 'The disk is full',
  io: 'A file could not be read or written',
  closed: 'Not connected',
  'pg-start-failed': 'The database server did not start',
  'pg-port-in-use': 'The database server’s port is taken',
  'pg-version-mismatch': 'The database server is another version',
  internal: 'Something went wrong in Strata',
};

const WARNINGS = new Set<ErrorCode>(['busy', 'cancelled', 'closed']);

export function describeError(error: unknown): ErrorView {
  const s = serializeError(error);
  return {
    title: TITLES[s.code] ?? 'Something went wrong',
    message: s.message,
    intent: WARNINGS.has(s.code) ? 'warning' : 'error',
    code: s.code,
    details: s.details ?? null,
  };
}
