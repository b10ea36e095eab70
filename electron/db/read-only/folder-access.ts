/**
 * Whether this process may change a data folder. Asked by trying, not by reading mode bits:
 * root passes every mode check, a Windows ACL or read-only attribute is invisible to them, and
 * read-only media (a DVD, a read-only mount, a locked SD card) report writable modes. Creating
 * a file in the folder and opening each store file for writing (without changing a byte) is
 * exactly what an open would need, so it answers the way the open would.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ReadOnlyState } from '../../../shared/manager';

/** Errors that mean "you may not write here", as opposed to a missing folder or a broken disk. */
const DENIED = new Set(['EROFS', 'EACCES', 'EPERM']);

const SAID: Record<string, string> = { EROFS: 'a read-only file system', EACCES: 'permission denied', EPERM: 'not permitted' };

function denied(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException).code;
  return code && DENIED.has(code) ? `${SAID[code] ?? code} (${code})` : null;
}

/** A file can be created in `dir` (it is removed at once); the reason when it cannot. */
function folderRefuses(dir: string): string | null {
  const probe = path.join(dir, `.strata-write-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    fs.closeSync(fs.openSync(probe, 'wx', 0o600));
    fs.rmSync(probe, { force: true });
    return null;
  } catch (error) {
    return denied(error);
  }
}

/** Opening for writing changes nothing (no truncation, no timestamps) but is refused like a write. */
function fileRefuses(file: string): string | null {
  try {
    fs.closeSync(fs.openSync(file, 'r+'));
    return null;
  } catch (error) {
    return denied(error);
  }
}

/** The folders whose files an open writes: the data folder and a sharded store's folder. */
const STORE_FOLDERS = ['.', 'sharded'];
const STORE_FILE = /\.(db|db-wal|db-shm|lock)$/u;

/**
 * Null when the folder takes writes (or does not exist yet: creating it is the open's job);
 * otherwise the first path that refuses and what the system said.
 */
export function readOnlyState(dataDir: string): ReadOnlyState | null {
  for (const sub of STORE_FOLDERS) {
    const dir = path.resolve(dataDir, sub);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    const folder = folderRefuses(dir);
    if (folder) return { path: dir, reason: folder };
    for (const entry of entries) {
      if (!entry.isFile() || !STORE_FILE.test(entry.name)) continue;
      const file = path.join(dir, entry.name);
      const refused = fileRefuses(file);
      if (refused) return { path: file, reason: refused };
    }
  }
  return null;
}
