/**
 * Turns better-sqlite3's errors into the one error shape, naming the file and what to do.
 * Only the codes a user can act on are mapped; the rest stay internal bugs.
 */
import { StrataError } from '../../../../shared/errors';

interface SqliteLikeError {
  code?: unknown;
  message?: unknown;
}

export function sqliteCode(error: unknown): string {
  const code = (error as SqliteLikeError | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function mapSqliteError(error: unknown, file: string): unknown {
  if (error instanceof StrataError) return error;
  const code = sqliteCode(error);
  if (!code.startsWith('SQLITE_')) return error;
  const details = { file, sqliteCode: code };
  const cause = { cause: error };
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StrataError(
      'db-locked',
      `The catalog ${file} is locked by another program (another Strata window, a backup tool, or a sync client). Close it or wait, then try again.`,
      details,
      cause,
    );
  }
  if (code === 'SQLITE_NOTADB') {
    return new StrataError(
      'db-not-sqlite',
      `${file} is not a SQLite database. Strata did not change it; move it away or choose another data folder.`,
      details,
      cause,
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StrataError(
      'db-corrupt',
      `The catalog ${file} is damaged (${String((error as SqliteLikeError).message)}). Strata stopped before changing it; restore a backup, or run an integrity check to see what is affected.`,
      details,
      cause,
    );
  }
  if (code === 'SQLITE_FULL') {
    return new StrataError(
      'disk-full',
      `The disk holding ${file} is full. The last batch was rolled back and nothing committed was lost; free some space and try again.`,
      details,
      cause,
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new StrataError(
      'db-readonly',
      `The catalog ${file} cannot be written (read-only file, folder or medium). Check its permissions or move the data folder.`,
      details,
      cause,
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_CANTOPEN')) {
    return new StrataError(
      'io',
      `Strata could not read or write ${file} (${code}). Check that the drive is connected and the file is accessible.`,
      details,
      cause,
    );
  }
  return error;
}
