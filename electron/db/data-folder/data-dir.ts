/**
 * Where the data folder is, as a pure function of the environment so it is tested under Node
 * and the Electron glue only passes its values in. Installed: the user's app-data folder
 * (what Electron's app.getPath('userData') resolves to). Portable: `data\` beside the
 * executable, which electron-builder's portable launcher names in PORTABLE_EXECUTABLE_DIR
 * (the folder of the .exe the user started, not the temporary folder it unpacks itself to).
 */
import fs from 'node:fs';
import path from 'node:path';

export const APP_FOLDER_NAME = 'Strata';
/** The portable copy's data folder, beside the executable. */
export const PORTABLE_DATA_FOLDER = 'data';

/** What the portable folder allows, found by `probePortableFolder` (main does the I/O). */
export interface PortableFacts {
  /** `<exe dir>\data` is there already (a catalog carried on a stick, or on read-only media). */
  dataExists: boolean;
  /** A file can be created beside the executable. */
  writable: boolean;
}

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Facts about the portable folder; absent: assumed usable (tests, tools with no disk). */
  portable?: PortableFacts;
}

export type DataDirKind = 'override' | 'portable' | 'portable-fallback' | 'installed';

export interface DataDirDecision {
  dataDir: string;
  kind: DataDirKind;
  /** Why the portable copy does not keep its data beside itself, for the log and the user. */
  note: string | null;
}

const pathsOf = (platform: NodeJS.Platform): path.PlatformPath => (platform === 'win32' ? path.win32 : path.posix);

function installedDataDir({ platform, env, homedir }: DataDirInput): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return path.posix.join(homedir, 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(homedir, '.config'), APP_FOLDER_NAME);
  }
}

export function dataDirDecision(input: DataDirInput): DataDirDecision {
  const override = input.env.STRATA_DATA_DIR;
  if (override) return { dataDir: override, kind: 'override', note: null };
  const exeDir = input.env.PORTABLE_EXECUTABLE_DIR;
  if (!exeDir) return { dataDir: installedDataDir(input), kind: 'installed', note: null };
  const portable = pathsOf(input.platform).join(exeDir, PORTABLE_DATA_FOLDER);
  const facts = input.portable ?? { dataExists: true, writable: true };
  // An existing data folder is used even where nothing can be written: the database process
  // then opens it read-only (a catalog on a DVD or a locked stick), which is what it is for.
  if (facts.dataExists || facts.writable) return { dataDir: portable, kind: 'portable', note: null };
  const fallback = installedDataDir(input);
  return {
    dataDir: fallback,
    kind: 'portable-fallback',
    note:
      `This portable Strata cannot create its data folder beside itself (${portable}): that folder does not allow writing. ` +
      `Its catalog is kept in ${fallback} instead, like an installed Strata's. To keep it beside the executable, ` +
      'move the executable to a folder you can write (a USB stick, your Documents) and start it from there.',
  };
}

export function defaultDataDir(input: DataDirInput): string {
  return dataDirDecision(input).dataDir;
}

/**
 * The thin probe behind PortableFacts. Writing is tried, not asked: fs.access on Windows does
 * not read the folder's ACLs, so it says "writable" for C:\Program Files. Nothing is left behind.
 */
export function probePortableFolder(exeDir: string, platform: NodeJS.Platform = process.platform): PortableFacts {
  const dataExists = fs.existsSync(pathsOf(platform).join(exeDir, PORTABLE_DATA_FOLDER));
  let writable = false;
  try {
    const probe = fs.mkdtempSync(pathsOf(platform).join(exeDir, '.strata-write-test-'));
    fs.rmdirSync(probe);
    writable = true;
  } catch {
    writable = false;
  }
  return { dataExists, writable };
}
