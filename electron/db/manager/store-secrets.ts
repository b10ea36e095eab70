/**
 * Connection strings of existing servers carry passwords, so they are kept out of the control
 * database (which a user may copy or attach to a bug report) in files only the user can read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../shared/errors';

/** The data folder's folder for them. */
export const SECRETS_DIR = 'secrets';

/** Writes the connection string; returns its path relative to the data folder. */
export function saveConnectionString(dataDir: string, name: string, connectionString: string): string {
  const dir = path.join(dataDir, SECRETS_DIR);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const relative = path.join(SECRETS_DIR, `${name}.url`);
  fs.writeFileSync(path.join(dataDir, relative), connectionString, { mode: 0o600 });
  return relative;
}

export function readConnectionString(dataDir: string, relative: string): string {
  try {
    return fs.readFileSync(path.resolve(dataDir, relative), 'utf8').trim();
  } catch {
    throw new StrataError(
      'not-found',
      `The connection string of the catalog's server (${relative} in the data folder) is missing. Restore that file, or move the catalog again with strata migrate --to postgres --url <connection string>.`,
      { file: relative },
    );
  }
}

export function removeConnectionString(dataDir: string, relative: string): void {
  fs.rmSync(path.resolve(dataDir, relative), { force: true });
}
