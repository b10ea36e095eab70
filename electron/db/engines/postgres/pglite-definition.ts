/**
 * Tier 3, embedded: PGlite (PostgreSQL in WebAssembly) in a folder of the data folder. Its
 * drivers load on first use: the SQLite tiers should not pay their start-up time.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineDefinition, Presence } from '../engine-definition';
import type { PgStoreOptions } from './pg-store';

/** The PGlite store's folder inside the data folder. */
export const PGLITE_DIR = 'pglite';
/** The lock file Strata keeps in a PGlite folder: alone, it is not a catalog. */
const PGLITE_LOCK = 'strata.lock';

function folderState(dir: string): Presence {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'present';
  }
  return entries.some((e) => e !== PGLITE_LOCK) ? 'present' : 'empty';
}

export const pgliteEngine: EngineDefinition = {
  name: 'pglite',
  noun: 'embedded PostgreSQL catalog',
  defaultLocation: PGLITE_DIR,
  newTarget: (_dataDir, _spec, tag) => ({ location: path.join('stores', `pglite-${tag}`), options: {} }),
  open: async (dataDir, record, options) =>
    (await import('./open-pg-store')).openPgliteStore(path.resolve(dataDir, record.location), { ...(record.options as PgStoreOptions), ...options.pglite }),
  // PostgreSQL writes its data directory as it starts (postmaster.pid, the WAL, recovery).
  writesToRead: () => true,
  presence: (dataDir, record) => folderState(path.resolve(dataDir, record.location)),
  removeData: (dataDir, record) => {
    fs.rmSync(path.resolve(dataDir, record.location), { recursive: true, force: true });
    return Promise.resolve();
  },
};
