/**
 * Looks at a PGlite data directory before PGlite touches it. PGlite runs one PostgreSQL major
 * version; a directory written by another major (or by something else entirely) must be
 * refused with an error that says so, and left as it was, instead of aborting inside WASM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../../shared/errors';
import { isRunning } from '../../runtime/process-alive';

/** The PostgreSQL major version of the bundled PGlite (pglite-driver.test.ts checks it). */
export const PGLITE_PG_MAJOR = 18;

export type DataDirState = 'new' | 'existing';

export function inspectPgliteDataDir(dir: string): DataDirState {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'new';
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new StrataError('db-foreign', `${dir} is a file, not a database folder. Strata did not change it; choose another data folder.`, { dir });
    }
    throw new StrataError('io', `Strata could not read the database folder ${dir}: ${(error as Error).message}.`, { dir }, { cause: error });
  }
  // Our own lock file may be all a crashed first start left behind.
  if (entries.filter((e) => e !== LOCK_FILE).length === 0) return 'new';
  let version: string;
  try {
    version = fs.readFileSync(path.join(dir, 'PG_VERSION'), 'utf8').trim();
  } catch {
    throw new StrataError(
      'db-foreign',
      `${dir} is not an embedded PostgreSQL database folder (it has other files and no PG_VERSION). Strata did not change it; move it away or choose another data folder.`,
      { dir },
    );
  }
  const major = Number.parseInt(version, 10);
  if (major !== PGLITE_PG_MAJOR) {
    const newer = Number.isFinite(major) && major > PGLITE_PG_MAJOR;
    throw new StrataError(
      newer ? 'db-newer' : 'db-foreign',
      `The database folder ${dir} was written by PostgreSQL ${version}, but this Strata's embedded PostgreSQL is version ${PGLITE_PG_MAJOR}. ` +
        (newer
          ? 'Update Strata to open it; the folder was not changed.'
          : 'Open it with the Strata version that wrote it and export or migrate the catalog from there; the folder was not changed.'),
      { dir, pgVersion: version, supported: PGLITE_PG_MAJOR },
    );
  }
  return 'existing';
}

export const LOCK_FILE = 'strata.lock';

/**
 * PGlite does not stop two processes from opening one folder, and two would corrupt it. The
 * lock file holds the owner's pid; a lock left by a process that no longer runs is taken over.
 */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new StrataError(
          'db-locked',
          `The database folder ${dir} is open in another Strata process (pid ${owner}). Close that window first, then try again.`,
          { dir, pid: owner },
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new StrataError('db-locked', `Strata could not take the lock of ${dir}; try again.`, { dir });
}

