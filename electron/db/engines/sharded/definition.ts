/** Tier 2: a catalog file and shard files in one folder. */
import fs from 'node:fs';
import path from 'node:path';
import { fileState, type EngineDefinition } from '../engine-definition';
import { SHARDED_CATALOG_FILE, ShardedStore, type ShardedStoreOptions } from './sharded-store';

/** The folder of a sharded store inside the data folder: its catalog file and shard files. */
export const SHARDED_DIR = 'sharded';
/** Shards of a new sharded store when nobody says: two per core on the 2-core machines measured (docs/benchmarks.md). */
export const DEFAULT_SHARDS = 4;

export const shardedEngine: EngineDefinition = {
  name: 'sharded',
  noun: 'sharded catalog',
  defaultLocation: SHARDED_DIR,
  newTarget: (_dataDir, spec, tag) => ({ location: path.join('stores', `sharded-${tag}`), options: { shards: spec.shards ?? DEFAULT_SHARDS } }),
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
