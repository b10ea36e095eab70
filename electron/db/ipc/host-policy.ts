/**
 * What a client of the handler map may name on this machine. The desktop app and the CLI take
 * paths as given: they come from the user's own dialogs or shell. The headless host is reached
 * by anyone holding its token (a browser, a script on a home server), so there a path must lie
 * under a folder the user chose when starting it: the data folder's exports/ and backups/ for
 * results, the `--allow` folders for what is read. The policy is a value handed to
 * createHandlers, so each host states its own and tests can hold both.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError, invalidArgument } from '../../../shared/errors';
import { isWindowsReservedName } from '../../../shared/windows-file-name';
import type { DownloadFolder } from '../../../shared/ipc/transfer-schemas';

export type PathPolicy =
  /** Paths from the user's own dialogs or shell, taken as given. */
  | { kind: 'local' }
  /** Reads only under `readRoots` (and the data folder's exports/), writes only into exports/ and backups/. */
  | { kind: 'confined'; readRoots: readonly string[] };

export interface HostPolicy {
  paths: PathPolicy;
  /** server/check calls allowed per connection per minute; null: no limit (the user's own app). */
  serverChecksPerMinute: number | null;
  /** server/check calls allowed per minute over all connections together; null: no limit. */
  serverChecksPerMinuteTotal: number | null;
}

export const LOCAL_POLICY: HostPolicy = { paths: { kind: 'local' }, serverChecksPerMinute: null, serverChecksPerMinuteTotal: null };

/** The headless host's policy: `readRoots` are the `strata serve --allow` folders. */
export function confinedPolicy(readRoots: readonly string[]): HostPolicy {
  const roots = readRoots.map((root) => {
    let real: string;
    try {
      real = fs.realpathSync(path.resolve(root));
    } catch {
      throw invalidArgument(`The folder ${root} given to --allow does not exist; create it or name another.`, { root });
    }
    if (!fs.statSync(real).isDirectory()) throw invalidArgument(`${root} given to --allow is not a folder.`, { root });
    return real;
  });
  return { paths: { kind: 'confined', readRoots: roots }, serverChecksPerMinute: 3, serverChecksPerMinuteTotal: 10 };
}

export const resultFolder = (dataDir: string, folder: DownloadFolder): string => path.join(dataDir, folder);

const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : `${parent}${path.sep}`);

function realOrNull(p: string): string | null {
  try {
    return fs.realpathSync(p);
  } catch {
    return null;
  }
}

/** The folders a confined client may read: the --allow folders and the data folder's exports/ and backups/. */
function readRootsOf(policy: Extract<PathPolicy, { kind: 'confined' }>, dataDir: string): string[] {
  // The host's own results may be read back: an export re-imported, a backup restored.
  const own = (['exports', 'backups'] as const).map((f) => realOrNull(resultFolder(dataDir, f))).filter((f): f is string => f !== null);
  return [...policy.readRoots, ...own];
}

function refuseRead(given: string, what: string, roots: string[], reason: string): StrataError {
  const allowed = roots.length > 0 ? roots.join(', ') : 'none (start the host with --allow <folder>)';
  return invalidArgument(`The ${what} ${given} ${reason}. Over this host, files are read only under the folders it was started with: ${allowed}.`, {
    path: given,
    allowed: roots,
  });
}

/**
 * The path to read for a client's `given` path. Confined: absolute, lexically under an allowed
 * folder, and still under one once every link is resolved; the real path is returned, so what
 * is read is what was checked.
 */
export function readablePath(policy: HostPolicy, dataDir: string, given: string, what: string): string {
  if (policy.paths.kind === 'local') return given;
  const roots = readRootsOf(policy.paths, dataDir);
  if (!path.isAbsolute(given)) throw refuseRead(given, what, roots, 'is not an absolute path');
  const lexical = path.resolve(given);
  if (!roots.some((r) => inside(lexical, r))) throw refuseRead(given, what, roots, 'is outside the folders this host may read');
  const real = realOrNull(lexical);
  // Not there: the caller's own not-found message says so; nothing outside was touched.
  if (real === null) return lexical;
  if (!roots.some((r) => inside(real, r))) throw refuseRead(given, what, roots, 'leads outside the folders this host may read (through a link)');
  return real;
}

/** Tells whether a link target's real path lies under the folders a confined client may read. */
export function linkTargetCheck(policy: HostPolicy, dataDir: string): ((realPath: string) => boolean) | undefined {
  if (policy.paths.kind === 'local') return undefined;
  const roots = readRootsOf(policy.paths, dataDir);
  return (real) => roots.some((r) => inside(real, r));
}

/**
 * Where a result (an export, a backup) goes. Confined: a bare file name, or an absolute path
 * directly inside the data folder's `folder`; never an existing file; the folder is the only
 * one ever created.
 */
export function writablePath(policy: HostPolicy, dataDir: string, folder: DownloadFolder, given: string): string {
  if (policy.paths.kind === 'local') return given;
  const root = resultFolder(dataDir, folder);
  const refuse = (reason: string): StrataError =>
    invalidArgument(`The destination ${given} ${reason}. Over this host, ${folder === 'exports' ? 'exports' : 'backups'} are written into ${root}: give a file name such as "${folder === 'exports' ? 'release.nzb' : 'catalog-backup.db'}".`, {
      destination: given,
      folder: root,
    });
  let name: string;
  if (path.isAbsolute(given)) {
    if (path.resolve(path.dirname(given)) !== path.resolve(root)) throw refuse('is not directly inside that folder');
    name = path.basename(given);
  } else {
    if (/[/\\]/u.test(given)) throw refuse('names a folder');
    name = given;
  }
  // Windows device names (CON.nzb opens the console) and trailing dots/spaces (stripped, so another name is written) too.
  if (name === '' || name.startsWith('.') || /[\u0000-\u001f\u007f<>:"|?*]|[. ]$/u.test(name) || isWindowsReservedName(name) || name.length > 255) {
    throw refuse('is not a plain file name');
  }
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const realRoot = fs.realpathSync(root);
  if (realRoot !== fs.realpathSync(dataDir) + path.sep + folder) throw refuse('lies in a folder that is a link out of the data folder');
  const target = path.join(realRoot, name);
  let exists = true;
  try {
    fs.lstatSync(target);
  } catch {
    exists = false;
  }
  if (exists) throw new StrataError('conflict', `${target} already exists; choose another name (results are never written over an existing file here).`, { destination: target });
  return target;
}

/** `exports/<name>` or `backups/<name>` when `written` lies directly in one of those folders of the data folder. */
export function downloadOf(dataDir: string, written: string, folder: DownloadFolder): string | undefined {
  const real = realOrNull(written);
  const root = realOrNull(resultFolder(dataDir, folder));
  if (!real || !root || path.dirname(real) !== root) return undefined;
  return `${folder}/${path.basename(real)}`;
}
