/**
 * The portable server's status for the settings screen, read from its files without starting
 * it: whether a cluster exists, whether its postmaster runs, its port and version, and the
 * connection string (the password only when the user asked to reveal it).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PortableStatus } from '../../../shared/ipc/app-schemas';
import type { StoreRef } from '../../../shared/manager';
import { connectionString, maskedConnectionString } from './connection-string';
import { portableLayout } from './layout';
import { isAlive, readPidFile } from './postmaster-pid';
import { loadState } from './server-port';
import { SUPERUSER } from './superuser-password';

/** The database a portable store's location names (`postgres#strata_ab12`), else the server's default. */
export function portableDatabaseOf(store: StoreRef): string {
  if (store.engine === 'postgres' && store.server === 'portable') {
    const name = store.location.split('#')[1];
    if (name && /^[A-Za-z0-9_]+$/u.test(name)) return name;
  }
  return 'strata';
}

export function portableStatus(dataDir: string, active: StoreRef, reveal: boolean): PortableStatus {
  // Only the folder names are used; they do not depend on which build is extracted.
  const layout = portableLayout(dataDir, { pgVersion: '', sha256: '' });
  const installed = fs.existsSync(path.join(layout.pgData, 'PG_VERSION'));
  const lock = installed ? readPidFile(layout.pgData) : null;
  const running = lock !== null && isAlive(lock.pid);
  const port = (running ? lock.port : null) ?? loadState(layout).port ?? null;
  let version: string | null = null;
  try {
    version = fs.readFileSync(path.join(layout.pgData, 'PG_VERSION'), 'utf8').trim() || null;
  } catch {
    version = null;
  }
  let password: string | null = null;
  try {
    password = fs.readFileSync(layout.passwordFile, 'utf8').trim() || null;
  } catch {
    password = null;
  }
  const inUse = active.engine === 'postgres' && active.server === 'portable';
  const parts = port !== null && password !== null ? { host: '127.0.0.1', port, user: SUPERUSER, password, database: portableDatabaseOf(active) } : null;
  return {
    installed,
    running,
    inUse,
    port,
    version,
    dataFolder: layout.root,
    connectionString: parts === null ? null : reveal ? connectionString(parts) : maskedConnectionString(parts),
    revealed: reveal && parts !== null,
  };
}
