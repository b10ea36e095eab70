/**
 * Opening a SQLite file of a folder this process may not write. A WAL-mode database is read
 * through its -shm index, which a reader must be able to create or map; in a read-only folder
 * with no -shm SQLite refuses (SQLITE_READONLY_DIRECTORY or SQLITE_CANTOPEN). When the -wal is
 * absent or empty, every committed page is in the main file, and `immutable=1` tells SQLite so:
 * it then takes no locks and needs no -shm. That is safe because nothing can write there:
 * this process may not, a live owner with the right to would have been found by its lock first
 * (live-owner.ts), and a writer leaves a -wal behind while it runs. A -wal holding
 * commits is read through the existing -shm, or refused with what to do.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import { sqliteFileUri, sqliteOpenName } from '../win-paths';

// better-sqlite3 builds SQLite with URI file names off; its addon reads this once, when it
// first loads (at the first `new Database`), so it is set as this module is evaluated. Paths
// Strata opens are absolute file paths, never "file:" names, so nothing else changes meaning.
process.env.SQLITE_USE_URI ??= '1';

function sizeOf(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

/** The name to open `file` by in a read-only folder (also for ATTACH on a read-only connection). */
export function readOnlyName(file: string): string {
  const wal = sizeOf(`${file}-wal`);
  return wal !== null && wal > 0 ? sqliteOpenName(file) : sqliteFileUri(file, 'immutable=1');
}

/** A read-only connection that can never write (query_only), or a `read-only` error saying why not. */
export function openSqliteReadOnly(file: string): Database.Database {
  const wal = sizeOf(`${file}-wal`);
  let db: Database.Database | undefined;
  try {
    db = new Database(readOnlyName(file), { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    // The first read is where a missing -shm or an unreadable page shows.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db;
  } catch (error) {
    db?.close();
    const raw = (error as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : '';
    if (wal !== null && wal > 0 && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN'))) {
      throw new StrataError(
        'read-only',
        `${file}-wal holds changes not yet folded into ${file}, and this read-only folder has no usable ${file}-shm to read them with. Open the data folder once where it can be written (Strata folds the changes in when it closes), then copy it or make it read-only again.`,
        { file, sqlite: code },
        { cause: error },
      );
    }
    if (code === 'SQLITE_CANTOPEN' && process.env.SQLITE_USE_URI !== '1') {
      throw new StrataError('internal', `SQLite URI names are off in this process (SQLITE_USE_URI=${process.env.SQLITE_USE_URI ?? ''}), so ${file} cannot be opened read-only.`, { file }, { cause: error });
    }
    throw error;
  }
}
