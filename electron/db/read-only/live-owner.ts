/**
 * Whether a live process owns a data folder, asked without writing. The owner holds an
 * exclusive SQLite transaction on owner.lock (owner/folder-lock.ts), a kernel lock; a
 * read-only connection's read needs a shared lock on the same file, which the kernel refuses
 * (SQLITE_BUSY) exactly while an owner lives. No file is created: a folder without owner.lock
 * has never been owned since it became read-only, and cannot be now (an owner must create it).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import type { OwnerRecord } from '../../../shared/ipc/owner-protocol';
import { EndpointGone, connectOwner, publicOwner, type OwnerConnection } from '../owner/connect-owner';
import { describeOwner } from '../owner/owner-message';
import { LOCK_FILE } from '../owner/owner-paths';
import { readOwnerRecord } from '../owner/owner-record';
import { sqliteOpenName } from '../win-paths';

export function ownerLockHeld(dataDir: string): boolean {
  const file = path.join(dataDir, LOCK_FILE);
  if (!fs.existsSync(file)) return false;
  let db: Database.Database | undefined;
  try {
    db = new Database(sqliteOpenName(file), { readonly: true, fileMustExist: true, timeout: 0 });
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return false;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  } finally {
    db?.close();
  }
}

/**
 * The live owner of a folder this process may not write, over its endpoint: its record is
 * read, never written. Refused, naming what is wrong, when the record cannot be read (another
 * account's folder) or the endpoint does not answer.
 */
export async function connectLiveOwner(dataDir: string): Promise<{ owner: OwnerRecord; connection: OwnerConnection }> {
  const real = fs.realpathSync(dataDir);
  const seen = readOwnerRecord(real);
  if (!seen.record) {
    throw new StrataError(
      'db-locked',
      `Another process holds the read-only data folder ${dataDir}, and its owner.json ${seen.reason === 'unreadable' ? 'cannot be read by you (it probably belongs to another user)' : 'is not there yet'}. Use the folder as that user, or wait until that process ends.`,
      { dataDir },
    );
  }
  try {
    return { owner: seen.record, connection: await connectOwner(seen.record) };
  } catch (error) {
    if (!(error instanceof EndpointGone)) throw error;
    throw new StrataError('db-locked', `${describeOwner(seen.record)} holds the data folder ${dataDir} but its endpoint does not answer (${error.message}). If that process is stuck, stop it; then try again.`, {
      owner: publicOwner(seen.record),
    });
  }
}
