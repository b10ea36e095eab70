/**
 * Catalog files hold NZB passwords and connection strings: on POSIX they are the user's alone
 * (files 0600, folders 0700), whatever the umask. On Windows, chmod only toggles the read-only
 * bit, so these calls do nothing there; the data folder lives in the user's profile
 * (%APPDATA%, or beside a portable executable the user unpacked), whose ACL already grants
 * the user (plus SYSTEM and Administrators) and no one else.
 */
import fs from 'node:fs';

const POSIX = process.platform !== 'win32';

/** Best effort: a file on a volume without permissions (FAT, some network shares) stays as it is. */
function chmod(target: string, mode: number): void {
  if (!POSIX) return;
  try {
    fs.chmodSync(target, mode);
  } catch {
    // Read-only medium, or a file removed meanwhile: nothing to protect or nothing to do.
  }
}

export function restrictFile(file: string): void {
  chmod(file, 0o600);
}

export function restrictDir(dir: string): void {
  chmod(dir, 0o700);
}

/** A SQLite database and the journal files beside it that exist. */
export function restrictSqliteFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(`${file}${suffix}`)) restrictFile(`${file}${suffix}`);
  }
}

/**
 * Before SQLite opens a database: a new file is created empty and user-only, so the -wal and
 * -shm files SQLite makes beside it (it gives them the database file's mode) are user-only
 * from their first byte; an existing file (older versions made them 0644) is tightened.
 */
export function prepareUserOnlyDatabase(file: string): void {
  // SQLite's names for a database with no file: creating one would leave a stray ':memory:' behind.
  if (!POSIX || file === ':memory:' || file === '') return;
  if (fs.existsSync(file)) {
    restrictSqliteFiles(file);
    return;
  }
  try {
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  } catch {
    // A folder that cannot be written: the open reports it with the file's name.
  }
}
