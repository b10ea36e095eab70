/**
 * The server's superuser password: generated once, kept in `<dataDir>/postgres/superuser-password`
 * readable and writable by the user only (0600; on Windows the data folder sits in the user's
 * profile, whose permissions already keep other users out). The app reads it to connect and to
 * show the connection string; nothing else stores it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { StrataError } from '../../../shared/errors';

export const SUPERUSER = 'strata';

export function generatePassword(): string {
  // 32 random bytes, base64url: 256 bits, and no character that needs escaping in a URL.
  return randomBytes(32).toString('base64url');
}

export function writePassword(file: string, password: string): void {
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  // The mode above applies only when the file is created; make sure of it for a rewrite too.
  fs.chmodSync(file, 0o600);
}

export function readPassword(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new StrataError(
      'pg-start-failed',
      `The password of the portable PostgreSQL server (${file}) is missing, so Strata cannot connect to its own server. ` +
        'Restore the file from a backup of the data folder, or set the server aside and let Strata create a new one.',
      { file },
      { cause: error },
    );
  }
}
