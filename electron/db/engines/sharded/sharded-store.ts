/** Opens tier 2: the sharded core (a catalog file and its shard files) in its lock, behind the shared store front. */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../../shared/errors';
import type { CatalogStore } from '../../store';
import { CheckedStore } from '../../store-front/checked-store';
import { DEFAULT_TUNING, openCatalogDatabase, openCatalogReadOnly, type OpenedDatabase, type SqliteTuning } from '../sqlite/open-database';
import { registerShardOf } from './jump-hash-sql';
import { lockedCore } from './locked-core';
import { shardFileName } from './shard-file';
import { SHARD_TUNING, ShardSet } from './shard-set';
import { ensureShardedCatalog, readShardMap, readShardState } from './sharded-catalog';
import { ShardedSearch } from './sharded-search';
import { SHARDED_CATALOG_FILE, ShardedCore, checkShardCount } from './sharded-core';
import { SHARDED_LOCKS } from './sharded-locks';

export { SHARDED_CATALOG_FILE, MAX_SHARD_COUNT, checkShardCount } from './sharded-core';
/** Chosen by `npm run bench -- ingest --engine sharded` on a 2-core machine (docs/benchmarks.md). */
export const DEFAULT_SHARD_COUNT = 4;

export interface ShardedStoreOptions {
  /** Shards of a new store; an existing store keeps its own map. */
  shards?: number;
  tuning?: Partial<SqliteTuning>;
  shardTuning?: Partial<SqliteTuning>;
  /** The folder cannot be written: query-only connections, no writer threads, no recovery at open. */
  readOnly?: boolean;
}

/** A sharded store re-shards itself and has every optional capability but an engine digest. */
export type ShardedStore = CatalogStore & Required<Pick<CatalogStore, 'shardCount' | 'reshard' | 'repair' | 'openLoader' | 'streamTableText'>>;

function behindFront(core: ShardedCore): ShardedStore {
  return new CheckedStore(lockedCore(core, core.lock, SHARDED_LOCKS)) as ShardedStore;
}

/** Reads the shard map the catalog names and opens its shards; closes everything if that fails. */
async function openCore(dir: string, opened: OpenedDatabase, readOnly: boolean, openShards: (mapShards: number) => ShardSet): Promise<ShardedCore> {
  let shards: ShardSet | undefined;
  let search: ShardedSearch | undefined;
  try {
    registerShardOf(opened.db);
    const state = readShardState(opened.db);
    const map = readShardMap(opened.db, state.mapVersion);
    if (!map) throw new StrataError('db-corrupt', `The catalog ${path.join(dir, SHARDED_CATALOG_FILE)} names shard map ${state.mapVersion}, which it does not have.`);
    shards = openShards(map.shardCount);
    search = ShardedSearch.open(dir, path.join(dir, SHARDED_CATALOG_FILE), state.storeUid, readOnly);
    const core = new ShardedCore(opened.db, dir, opened.schemaVersion, readOnly, shards, state, search);
    if (!readOnly) await core.recover();
    return core;
  } catch (error) {
    await shards?.close();
    await search?.close();
    opened.db.close();
    throw error;
  }
}

export const ShardedStore = {
  async open(dir: string, options: ShardedStoreOptions = {}): Promise<ShardedStore> {
    const requested = checkShardCount(options.shards ?? DEFAULT_SHARD_COUNT);
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    const shardTuning = { ...SHARD_TUNING, ...options.shardTuning };
    const resolved = path.resolve(dir);
    if (options.readOnly) {
      // Recovery is skipped (it writes): rows of an epoch a crash left uncommitted stay in
      // their shard, where no committed file of the catalog names them.
      const opened = openCatalogReadOnly(path.join(resolved, SHARDED_CATALOG_FILE), tuning, 'sharded');
      const state = () => readShardState(opened.db);
      return behindFront(await openCore(resolved, opened, true, (count) => ShardSet.open(resolved, state().storeUid, count, shardTuning, [], true)));
    }
    fs.mkdirSync(resolved, { recursive: true, mode: 0o700 });
    const opened = openCatalogDatabase(path.join(resolved, SHARDED_CATALOG_FILE), tuning, 'sharded');
    try {
      ensureShardedCatalog(opened.db, requested);
    } catch (error) {
      opened.db.close();
      throw error;
    }
    return behindFront(
      await openCore(resolved, opened, false, (count) => {
        const state = readShardState(opened.db);
        // A store that never committed a batch may have been interrupted while creating its
        // shard files: the missing ones are created. Later, a missing shard is an error.
        // "Never held a file" is the high-water mark at 1: a store whose files were all deleted
        // (or one filled by a migration, which commits no epoch) is not new, and recreating its
        // missing shard empty would orphan the rows of the real one when it comes back.
        const fresh = state.committedEpoch === 0 && state.nextFileId <= 1 && opened.db.prepare('SELECT 1 FROM files LIMIT 1').get() === undefined;
        const create = fresh ? Array.from({ length: count }, (_, i) => i).filter((i) => !fs.existsSync(path.join(resolved, shardFileName(i)))) : [];
        return ShardSet.open(resolved, state.storeUid, count, shardTuning, create);
      }),
    );
  },
};
