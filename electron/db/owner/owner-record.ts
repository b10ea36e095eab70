/**
 * `<data>/owner.json`: who owns the folder and how to reach it. Mode 0600, because its token
 * opens the owner's endpoint: being able to read it is the same permission as being this user.
 * Written to a temporary name and renamed, so a reader never sees half a record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ownerRecordSchema, type OwnerRecord } from '../../../shared/ipc/owner-protocol';
import { OWNER_FILE } from './owner-paths';

export function writeOwnerRecord(dataDir: string, record: OwnerRecord): void {
  const file = path.join(dataDir, OWNER_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  fs.chmodSync(temp, 0o600);
  fs.renameSync(temp, file);
}

export type OwnerRecordRead = { record: OwnerRecord } | { record: null; reason: 'absent' | 'unreadable' | 'malformed' };

export function readOwnerRecord(dataDir: string): OwnerRecordRead {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dataDir, OWNER_FILE), 'utf8');
  } catch (error) {
    return { record: null, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable' };
  }
  try {
    const parsed = ownerRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? { record: parsed.data } : { record: null, reason: 'malformed' };
  } catch {
    return { record: null, reason: 'malformed' };
  }
}

/** Removes the record if it is still this owner's (a successor may have written its own). */
export function removeOwnerRecord(dataDir: string, token: string): void {
  const current = readOwnerRecord(dataDir);
  if (current.record?.token !== token) return;
  fs.rmSync(path.join(dataDir, OWNER_FILE), { force: true });
}
