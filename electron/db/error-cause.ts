/**
 * What a low-level failure says, for messages, and whether it means a full disk. Drivers throw
 * more than Error: PGlite's file system (Emscripten) throws an ErrnoError with a WASI errno and
 * no message at all, which once printed as "(undefined)".
 */
import { StrataError } from '../../shared/errors';

/** WASI errno numbers PGlite's file system uses (not the host's: ENOSPC is 28 on Linux, 51 here). */
const WASI_ERRNO: Record<number, string> = {
  2: 'permission denied (EACCES)',
  19: 'disk quota exceeded (EDQUOT)',
  29: 'input/output error (EIO)',
  44: 'no such file or folder (ENOENT)',
  48: 'out of memory (ENOMEM)',
  51: 'no space left on device (ENOSPC)',
  63: 'operation not permitted (EPERM)',
  69: 'read-only file system (EROFS)',
};
const WASI_DISK_FULL = new Set([19, 51]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errno?: unknown;
  cause?: unknown;
  /** StrataError's details: a mapped SQLite error keeps its code there. */
  details?: { sqliteCode?: unknown };
}

const asObject = (error: unknown): ErrorLike | null => (typeof error === 'object' && error !== null ? error : null);

/** A short text for a failure of any shape: its message, or what its errno or code means. */
export function causeText(error: unknown): string {
  const e = asObject(error);
  if (e === null) return typeof error === 'string' || typeof error === 'number' || typeof error === 'boolean' ? String(error) : 'no reason given';
  if (typeof e.message === 'string' && e.message.trim() !== '') return e.message;
  if (e.name === 'ErrnoError' && typeof e.errno === 'number') return WASI_ERRNO[e.errno] ?? `file system error ${e.errno}`;
  if (typeof e.code === 'string' && e.code !== '') return e.code;
  if (typeof e.errno === 'number') return `errno ${e.errno}`;
  return 'an unexplained failure';
}

/** True when the failure, or anything that caused it, is a full disk or an exhausted quota. */
export function isDiskFullError(error: unknown, depth = 0): boolean {
  const e = asObject(error);
  if (e === null || depth > 5) return false;
  if (error instanceof StrataError && error.code === 'disk-full') return true;
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT' || e.code === 'SQLITE_FULL' || e.code === '53100') return true;
  // SQLite cannot grow a WAL index (-shm) on a full disk: even a read of a WAL database then fails.
  const sqliteCode = e.code === 'SQLITE_IOERR_SHMSIZE' ? e.code : typeof e.details === 'object' && e.details !== null ? e.details.sqliteCode : null;
  if (sqliteCode === 'SQLITE_IOERR_SHMSIZE') return true;
  if (e.name === 'ErrnoError' && typeof e.errno === 'number' && WASI_DISK_FULL.has(e.errno)) return true;
  if (typeof e.message === 'string' && /No space left on device|disk is full|database or disk is full/iu.test(e.message)) return true;
  return isDiskFullError(e.cause, depth + 1);
}
