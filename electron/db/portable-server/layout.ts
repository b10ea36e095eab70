/**
 * Where the portable server keeps its files, all under `<dataDir>/postgres/`:
 *   bin-<pgVersion>-<sha8>/  the extracted binaries of one packed build (read-only use)
 *   data/                    the cluster (PGDATA); its PG_VERSION names the major version
 *   superuser-password       the generated password, readable by the user only (0600)
 *   server.json              the last port used, so the connection string stays stable
 * The extraction folder carries the archive's checksum so that an app update that ships a new
 * build extracts next to the old one instead of over binaries a server may still be running.
 */
import path from 'node:path';
import type { PostgresManifest } from './manifest';

export interface PortableLayout {
  root: string;
  binRoot: string;
  pgData: string;
  passwordFile: string;
  stateFile: string;
  logDir: string;
}

/** The bundled server's folder in the data folder: its binaries, its cluster (data/) and state. */
export const PORTABLE_DIR = 'postgres';

export function portableLayout(dataDir: string, manifest: Pick<PostgresManifest, 'pgVersion' | 'sha256'>): PortableLayout {
  // Absolute: the server's command line and its data_directory are compared against it.
  const root = path.join(path.resolve(dataDir), PORTABLE_DIR);
  const pgData = path.join(root, 'data');
  return {
    root,
    binRoot: path.join(root, `bin-${manifest.pgVersion}-${manifest.sha256.slice(0, 8)}`),
    pgData,
    passwordFile: path.join(root, 'superuser-password'),
    stateFile: path.join(root, 'server.json'),
    logDir: path.join(pgData, 'log'),
  };
}

export const executable = (binRoot: string, name: string): string =>
  path.join(binRoot, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
