/**
 * One owner per data folder. A process that wants a folder's catalog claims the folder: it
 * takes the kernel lock (folder-lock.ts) and, holding it, opens the local endpoint and writes
 * owner.json. When the lock is taken, the folder has a live owner (the kernel says so; no pid
 * is guessed): the claimant connects to its endpoint instead, and everything it does runs in
 * the owner's process, through the owner's database manager. A socket file left by an owner
 * that was killed is removed only by the process that then holds the lock, so a live owner's
 * endpoint is never removed and two racing processes cannot both win.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { StrataError } from '../../../shared/errors';
import type { OwnerKind, OwnerRecord } from '../../../shared/ipc/owner-protocol';
import { EndpointGone, connectOwner, publicOwner, type OwnerConnection } from './connect-owner';
import { tryLockFolder } from './folder-lock';
import { listenEndpoint, type OwnerEndpoint } from './owner-endpoint';
import { describeOwner } from './owner-message';
import { endpointFor } from './owner-paths';
import { readOwnerRecord, removeOwnerRecord, writeOwnerRecord, type OwnerRecordRead } from './owner-record';

export interface OwnerIdentity {
  kind: OwnerKind;
  /** What this process is doing, shown to the others ("import-nzb", "serve", "app"). */
  command: string;
}

export interface FolderClaim {
  readonly dataDir: string;
  readonly record: OwnerRecord;
  readonly endpoint: OwnerEndpoint;
  /** Closes the endpoint, removes owner.json and drops the lock (idempotent). */
  release(): Promise<void>;
}

export type ClaimOutcome = { owned: FolderClaim; owner?: undefined; connection?: undefined } | { owned?: undefined; owner: OwnerRecord; connection: OwnerConnection };

export interface ClaimOptions {
  /** How long to keep looking for a starting or departing owner before giving up. */
  waitMs?: number;
}

const RETRY_MS = 50;

export async function claimDataFolder(dataDir: string, who: OwnerIdentity, options: ClaimOptions = {}): Promise<ClaimOutcome> {
  fs.mkdirSync(dataDir, { recursive: true });
  const real = fs.realpathSync(dataDir);
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  let seen: OwnerRecordRead = { record: null, reason: 'absent' };
  let lastProblem = '';
  for (;;) {
    const lock = tryLockFolder(real);
    if (lock) {
      try {
        return { owned: await ownFolder(real, who, lock.release) };
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    seen = readOwnerRecord(real);
    if (seen.record) {
      try {
        return { owner: seen.record, connection: await connectOwner(seen.record) };
      } catch (error) {
        if (!(error instanceof EndpointGone)) throw error;
        lastProblem = error.message;
      }
    } else if (seen.reason === 'unreadable') {
      throw new StrataError('db-locked', `Another process holds the data folder ${dataDir}, and its owner.json cannot be read by you: it probably belongs to another user. Use the folder as that user, or wait until that process ends.`);
    }
    // The owner is starting (lock taken, record not written yet) or leaving: look again.
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  const who2 = seen.record ? describeOwner(seen.record) : 'Another process';
  throw new StrataError(
    'db-locked',
    `${who2} holds the data folder ${dataDir} but its endpoint does not answer (${lastProblem || 'no owner.json yet'}). If that process is stuck, stop it; then try again.`,
    seen.record ? { owner: publicOwner(seen.record) } : {},
  );
}

async function ownFolder(real: string, who: OwnerIdentity, unlock: () => void): Promise<FolderClaim> {
  const address = endpointFor(real);
  // Holding the lock, nobody else can be listening there: a socket file is a dead owner's.
  if (process.platform !== 'win32') fs.rmSync(address, { force: true });
  const token = randomBytes(32).toString('base64url');
  const record: OwnerRecord = { pid: process.pid, kind: who.kind, command: who.command, started: new Date().toISOString(), endpoint: address, token };
  const endpoint = await listenEndpoint(address, token, { pid: process.pid, kind: who.kind });
  try {
    writeOwnerRecord(real, record);
  } catch (error) {
    await endpoint.close();
    throw new StrataError('io', `Strata could not write ${real}/owner.json (${(error as Error).message}). Check that you may write to the data folder.`, { path: real });
  }
  // On any exit that runs JavaScript, leave nothing behind; a SIGKILL leaves the files, which
  // the next owner (holding the lock) replaces.
  const onExit = (): void => {
    removeOwnerRecord(real, token);
    if (process.platform !== 'win32') fs.rmSync(address, { force: true });
  };
  process.on('exit', onExit);
  let released: Promise<void> | null = null;
  return {
    dataDir: real,
    record,
    endpoint,
    release() {
      released ??= (async () => {
        process.off('exit', onExit);
        removeOwnerRecord(real, token);
        await endpoint.close();
        // Only now may a successor take the folder (and reuse the endpoint's name).
        unlock();
      })();
      return released;
    },
  };
}
