/**
 * Where a data folder's owner keeps its lock, its record and its endpoint. The lock and the
 * record sit in the data folder, so every process that can reach the folder sees them; the
 * Unix socket sits in a user-only runtime folder (a socket path may not exceed 104-108 bytes,
 * which a data folder's path easily does), named by a hash of the folder's real path so two
 * spellings of one folder meet at one endpoint.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';

export const LOCK_FILE = 'owner.lock';
export const OWNER_FILE = 'owner.json';

export function folderKey(realDataDir: string): string {
  const normalized = process.platform === 'win32' ? realDataDir.toLowerCase() : realDataDir;
  return createHash('sha256').update(normalized).digest('hex').slice(0, 24);
}

/**
 * A folder only this user may enter: created 0700, and refused when it exists with other
 * owners or wider permissions (someone else could then swap the socket for their own).
 */
function userOnlyFolder(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.();
  if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o077) !== 0) {
    throw new StrataError(
      'io',
      `${dir} holds Strata's local endpoints but is not a folder that only you can use (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)}). Remove it, or set XDG_RUNTIME_DIR to a folder of your own.`,
      { path: dir },
    );
  }
  return dir;
}

export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && path.isAbsolute(xdg) && fs.existsSync(xdg)) return userOnlyFolder(path.join(xdg, 'strata'));
  return userOnlyFolder(path.join(os.tmpdir(), `strata-${process.getuid?.() ?? 'user'}`));
}

/** The endpoint address for a data folder: a named pipe on Windows, a socket file elsewhere. */
export function endpointFor(realDataDir: string): string {
  const key = folderKey(realDataDir);
  if (process.platform === 'win32') return `\\\\.\\pipe\\strata-${key}`;
  return path.join(runtimeDir(), `${key}.sock`);
}
