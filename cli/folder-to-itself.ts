/**
 * For the recovery commands that must run when no catalog can be opened (the active store is
 * lost, or control.db is): they still take the data folder's lock first, so they never rewrite
 * control.db under a live owner; with an owner running they refuse and name it.
 */
import { StrataError } from '../shared/errors';
import { tryLockFolder } from '../electron/db/owner/folder-lock';
import { ownedElsewhere } from '../electron/db/owner/owner-message';
import { readOwnerRecord } from '../electron/db/owner/owner-record';

export async function withFolderToItself<T>(dataDir: string, what: string, fn: () => Promise<T>): Promise<T> {
  const lock = tryLockFolder(dataDir);
  if (!lock) {
    const read = readOwnerRecord(dataDir);
    if (read.record) throw ownedElsewhere(dataDir, read.record, what);
    throw new StrataError('db-locked', `Another process has the data folder ${dataDir} open. ${what} needs the folder to itself; close it and run this again.`, { dataDir });
  }
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
