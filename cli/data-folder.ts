/**
 * The data folder a command names, checked before anything opens it: a read-only command must
 * never create an empty catalog in a misspelled folder, and a folder that is a file, cannot be
 * read or sits on a full disk must be explained in the user's terms rather than as the errno of
 * whichever mkdir or open met it first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError, invalidArgument, isStrataError, notFound } from '../shared/errors';

/** What a command does with the data folder: reads a catalog that must exist, may start one, or never opens it. */
export type DataFolderUse = 'existing' | 'creates' | 'none';

/**
 * What a data folder holds when Strata has used it: control.db, or a store at one of the
 * places a store lives (a folder from before control.db has only its store). Anything found
 * here goes to the open, which explains a lost control.db itself.
 */
const CATALOG_ENTRIES = ['control.db', 'strata.db', 'sharded', 'pglite', 'stores', 'postgres'];

const HOW_TO_START =
  'strata import-nzb <nzb files> --collection <name>, strata index <folder>, or strata generate --segments <N> (for a trial)';

/** Throws what is wrong with `dataDir` for this use; returns when the command may go on. */
export function checkDataFolder(dataDir: string, use: DataFolderUse, command: string): void {
  if (use === 'none') return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dataDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') throw notAFolder(dataDir, nearestFile(dataDir));
    if (code !== 'ENOENT') throw dataFolderError(error, dataDir);
    if (use === 'existing') {
      throw notFound(
        `There is no data folder at ${dataDir}, so there is no catalog for strata ${command} to read. Check --data (or STRATA_DATA_DIR); to start a catalog there, run ${HOW_TO_START}.`,
        { dataDir },
      );
    }
    refuseFullDisk(dataDir);
    return;
  }
  if (!stat.isDirectory()) throw notAFolder(dataDir, dataDir);
  let entries: string[];
  try {
    fs.accessSync(dataDir, fs.constants.R_OK | fs.constants.X_OK);
    entries = fs.readdirSync(dataDir);
  } catch (error) {
    throw dataFolderError(error, dataDir);
  }
  if (use === 'existing' && !entries.some((e) => CATALOG_ENTRIES.includes(e))) {
    throw notFound(
      `The folder ${dataDir} holds no Strata catalog, so strata ${command} has nothing to read. Check --data (or STRATA_DATA_DIR); to start a catalog there, run ${HOW_TO_START}.`,
      { dataDir },
    );
  }
  if (use === 'creates' && !entries.some((e) => CATALOG_ENTRIES.includes(e))) refuseFullDisk(dataDir);
}

/** Room for a new catalog's first files (control.db, strata.db, the disk reserve): a few MB. */
const NEW_CATALOG_BYTES = 8 * 1024 * 1024;

/**
 * A new catalog on a disk without room for its first files fails at whichever write comes
 * first (the lock, control.db), in that write's words; said once, up front, in the user's.
 */
function refuseFullDisk(dataDir: string): void {
  let free: number;
  try {
    const s = fs.statfsSync(nearestExisting(dataDir));
    free = s.bavail * s.bsize;
  } catch {
    // No answer from this file system: the writes will say.
    return;
  }
  if (free < NEW_CATALOG_BYTES) {
    throw new StrataError(
      'disk-full',
      `The disk that would hold the data folder ${dataDir} is full (${Math.floor(free / 1024)} KB free), so a catalog cannot be started there. Free some space, or name a folder on another disk with --data.`,
      { dataDir, freeBytes: free },
    );
  }
}

function nearestExisting(dataDir: string): string {
  let at = dataDir;
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  return at;
}

/** The first existing path on the way to `dataDir`, which is where ENOTDIR came from. */
function nearestFile(dataDir: string): string {
  let at = dataDir;
  while (path.dirname(at) !== at) {
    if (fs.existsSync(at)) return at;
    at = path.dirname(at);
  }
  return dataDir;
}

function notAFolder(dataDir: string, file: string): StrataError {
  return invalidArgument(
    `The data folder ${dataDir} cannot be used: ${file} is a file, not a folder. Name a folder with --data (a new one is made by the first import, index or generate).`,
    { dataDir },
  );
}

/**
 * A raw file-system error that concerns the data folder (or a path inside it), in words: the
 * codes a wrong, locked-down or full folder produces. Anything else is returned unchanged.
 */
export function dataFolderError(error: unknown, dataDir: string): unknown {
  if (isStrataError(error) || !(error instanceof Error)) return error;
  const { code, path: where } = error as NodeJS.ErrnoException;
  if (!code) return error;
  const inside = where === undefined || where === dataDir || where.startsWith(`${dataDir}${path.sep}`) || dataDir.startsWith(`${where}${path.sep}`);
  if (!inside) return error;
  const at = where ?? dataDir;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StrataError('disk-full', `The disk that holds the data folder ${dataDir} is full (writing ${at}). Free some space there, or name a folder on another disk with --data.`, { dataDir, path: at });
    case 'EACCES':
    case 'EPERM':
      return new StrataError('io', `Strata may not use ${at} (permission denied), so the data folder ${dataDir} cannot be opened. Give your account access to it, or name another folder with --data.`, { dataDir, path: at });
    case 'EROFS':
      return new StrataError('read-only', `The data folder ${dataDir} is on a read-only file system, and a new catalog cannot be made there. Name a folder you may write with --data.`, { dataDir, path: at });
    case 'ENOTDIR':
    case 'EEXIST': {
      // Only when a file stands where the folder (or one of its parents) should be.
      const file = nearestFile(dataDir);
      return fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() === false ? notAFolder(dataDir, file) : error;
    }
    default:
      return error;
  }
}
