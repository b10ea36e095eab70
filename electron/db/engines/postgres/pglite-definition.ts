/**
 * Tier 3, embedded: PGlite (PostgreSQL in WebAssembly) in a folder of the data folder. Its
 * drivers load on first use: the SQLite tiers should not pay their start-up time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { STORES_DIR, type EngineDefinition, type Presence } from '../engine-definition';
import type { PgStoreOptions } from './pg-store';

/** The PGlite store's folder inside the data folder. */
export const PGLITE_DIR = 'pglite';
/** A move's copy gets a folder of its own under stores/, named with this prefix. */
const COPY_PREFIX = 'pglite-';
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
  tier: 3,
  noun: 'embedded PostgreSQL catalog',
  storedOn: 'embedded PostgreSQL (PGlite)',
  keptIn: () => 'PGlite (embedded PostgreSQL)',
  defaultLocation: PGLITE_DIR,
  // PGlite came with control.db: a folder with only a PGlite store in it lost its control.db.
  predatesControl: false,
  sharedAccess: false,
  shards: null,
  // Measured: 100k -> 400k segments (106,845 -> 429,050 rows): 76.7 MB -> 162.3 MB, 265.6 bytes
  // per row (3.3x SQLite's) on a 48 MB empty cluster; 36,000 rows/s from a 1M-segment catalog.
  // The floor: PGlite must not meet a full disk at all. Its embedded Postgres, unable to write
  // WAL, loops inside XLogFlush without returning (seen at 92% CPU for minutes), so the copy
  // stops while this much is still free: two 16 MB WAL segments and a checkpoint.
  copyCost: { rowsPerSecond: 36_000, fixedBytes: 48_000_000, bytesPerRow: 266, floorBytes: 64_000_000 },
  moveNote: 'PGlite copies more slowly than the other engines (about 36,000 rows/s measured), and runs inside Strata: nothing to install.',
  serverOf: () => null,
  targetServer: () => null,
  newTarget: (_dataDir, _spec, tag) => ({ location: path.join(STORES_DIR, `${COPY_PREFIX}${tag}`), options: {} }),
  copyLocation: (folder) => (folder.startsWith(COPY_PREFIX) ? path.join(STORES_DIR, folder) : null),
  foundOptions: () => ({}),
  foundData: () => null,
  dataPaths: (dataDir, record) => [path.resolve(dataDir, record.location)],
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
