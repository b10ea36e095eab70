/** Tier 2: a catalog file and shard files in one folder. */
import fs from 'node:fs';
import path from 'node:path';
import { STORES_DIR, fileState, type EngineDefinition } from '../engine-definition';
import { SHARDED_CATALOG_FILE, ShardedStore, type ShardedStoreOptions } from './sharded-store';

/** The folder of a sharded store inside the data folder: its catalog file and shard files. */
export const SHARDED_DIR = 'sharded';
/** Shards of a new sharded store when nobody says: two per core on the 2-core machines measured (docs/benchmarks.md). */
export const DEFAULT_SHARDS = 4;
/** A move's copy gets a folder of its own under stores/, named with this prefix. */
const COPY_PREFIX = 'sharded-';

/** The shard files in a store's folder (shard-file.ts names them). */
function shardCount(dir: string): number {
  return fs.readdirSync(dir).filter((name) => /^shard-\d+\.db$/u.test(name)).length;
}

export const shardedEngine: EngineDefinition = {
  name: 'sharded',
  tier: 2,
  noun: 'sharded catalog',
  storedOn: 'sharded SQLite',
  keptIn: () => 'sharded SQLite files',
  defaultLocation: SHARDED_DIR,
  predatesControl: true,
  sharedAccess: false,
  shards: { default: DEFAULT_SHARDS },
  // Measured like the one file's (sqlite/definition.ts): 8.31 MB -> 33.96 MB over 4 shards, as
  // one file. 119,000 rows/s with verification from a 1M-segment catalog.
  copyCost: { rowsPerSecond: 119_000, fixedBytes: 1_000_000, bytesPerRow: 80, floorBytes: 16_000_000 },
  moveNote: null,
  serverOf: () => null,
  targetServer: () => null,
  newTarget: (_dataDir, spec, tag) => ({ location: path.join(STORES_DIR, `${COPY_PREFIX}${tag}`), options: { shards: spec.shards ?? DEFAULT_SHARDS } }),
  copyLocation: (folder) => (folder.startsWith(COPY_PREFIX) ? path.join(STORES_DIR, folder) : null),
  foundOptions: (where) => ({ shards: shardCount(where) }),
  foundData: () => null,
  dataPaths: (dataDir, record) => [path.resolve(dataDir, record.location)],
  open: (dataDir, record, options) =>
    ShardedStore.open(path.resolve(dataDir, record.location), { ...(record.options as ShardedStoreOptions), ...options.sharded, ...(options.readOnly ? { readOnly: true } : {}) }),
  writesToRead: () => false,
  presence: (dataDir, record) => {
    const where = path.resolve(dataDir, record.location);
    return fs.existsSync(where) ? fileState(path.join(where, SHARDED_CATALOG_FILE)) : 'missing';
  },
  removeData: (dataDir, record) => {
    fs.rmSync(path.resolve(dataDir, record.location), { recursive: true, force: true });
    return Promise.resolve();
  },
};
