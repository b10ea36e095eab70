/**
 * Which account the server runs as. PostgreSQL refuses to run as root ("root" execution of
 * the PostgreSQL server is not permitted), so when Strata itself runs as root on Linux or
 * macOS (a home server, a container, this project's CI) initdb and postgres run as a system
 * account `strata-pg`, created on first use without a login shell or home directory, and the
 * cluster folder is given to it. Everyone else runs the server as themselves: no admin rights,
 * no account changes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';

export const SERVER_ACCOUNT = 'strata-pg';

export interface ServerUser {
  uid: number;
  gid: number;
  name: string;
}

const isRoot = (): boolean => process.platform !== 'win32' && process.getuid?.() === 0;

/** null: run as the current user. */
export function serverUser(): ServerUser | null {
  if (!isRoot()) return null;
  if (!accountExists()) createAccount();
  const id = (flag: string): number => Number(execFileSync('id', [flag, SERVER_ACCOUNT], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g'), name: SERVER_ACCOUNT };
}

function accountExists(): boolean {
  try {
    execFileSync('id', ['-u', SERVER_ACCOUNT], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function createAccount(): void {
  try {
    if (process.platform === 'linux') {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', SERVER_ACCOUNT], {
        stdio: 'pipe',
      });
    } else {
      throw new Error(`creating accounts is not automated on ${process.platform}`);
    }
  } catch (error) {
    // Two processes may race to create it; only a still-missing account is an error.
    if (accountExists()) return;
    throw new StrataError(
      'pg-start-failed',
      `Strata runs as root, and PostgreSQL refuses to run as root. Creating the account "${SERVER_ACCOUNT}" for it failed. ` +
        `Create it (for example \`useradd --system ${SERVER_ACCOUNT}\`) or run Strata as a normal user.`,
      { account: SERVER_ACCOUNT },
      { cause: error },
    );
  }
}

/** Gives `target` (recursively) to the server account. */
export function giveTo(user: ServerUser | null, target: string): void {
  if (!user) return;
  const walk = (p: string): void => {
    fs.lchownSync(p, user.uid, user.gid);
    if (fs.lstatSync(p).isDirectory()) for (const name of fs.readdirSync(p)) walk(path.join(p, name));
  };
  walk(target);
}

/**
 * The server account must be able to reach its folders. Folders Strata creates are made
 * traversable (search only, not listable); a parent it did not create and that shuts the
 * account out (such as /root) is reported with what to do, never changed silently.
 */
export function ensureReachable(user: ServerUser | null, target: string, ownedRoot: string): void {
  if (!user) return;
  const owned = path.resolve(ownedRoot);
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      if (dir === owned || dir.startsWith(owned + path.sep)) fs.chmodSync(dir, (mode & 0o777) | 0o711);
      else {
        throw new StrataError(
          'pg-start-failed',
          `The PostgreSQL server runs as the account "${user.name}" (Strata runs as root), which cannot enter ${dir}. ` +
            `Allow it (chmod o+x ${dir}) or choose a data folder outside it.`,
          { dir, account: user.name },
        );
      }
    }
    if (dir === path.dirname(dir)) return;
  }
}
