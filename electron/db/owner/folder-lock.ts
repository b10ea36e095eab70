/**
 * The exclusive lock on a data folder: an exclusive SQLite transaction held open on
 * `<data>/owner.lock`. It is a kernel lock (fcntl on Unix, LockFileEx on Windows), so it is
 * atomic between racing processes and released by the kernel when its holder exits in any way,
 * SIGKILL included; a socket file or a pid in a file could be stale, this cannot. SQLite also
 * refuses a second connection in the same process, so one process cannot own a folder twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import { sqliteOpenName } from '../win-paths';
import { LOCK_FILE } from './owner-paths';

export interface FolderLock {
  readonly path: string;
  release: () => void;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Takes the lock, or answers null at once when another connection holds it. */
export function tryLockFolder(dataDir: string): FolderLock | null {
  const file = path.join(dataDir, LOCK_FILE);
  // Outside the try: a path too long for SQLite on Windows has its own message (win-paths.ts).
  const name = sqliteOpenName(file);
  let db: Database.Database;
  try {
    db = new Database(name, { timeout: 0 });
  } catch (error) {
    throw new StrataError('io', `Strata could not create its lock file ${file} (${(error as Error).message}). Check that the data folder exists and that you may write to it.`, { path: file });
  }
  try {
    fs.chmodSync(file, 0o600);
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if (isBusy(error)) return null;
    throw new StrataError('io', `Strata could not lock ${file} (${(error as Error).message}).`, { path: file });
  }
  let held = true;
  return {
    path: file,
    release() {
      if (!held) return;
      held = false;
      // Closing with the transaction open rolls it back and drops the lock.
      db.close();
    },
  };
}
