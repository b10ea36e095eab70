/**
 * Opens the store of a data folder. Today that is tier 1; the database manager (which reads
 * the durable pointer naming the active store) replaces the fixed choice here.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineName } from '../../shared/domain';
import { invalidArgument } from '../../shared/errors';
import { SHARDED_CATALOG_FILE, ShardedStore, type ShardedStoreOptions } from './engines/sharded/sharded-store';
import { SqliteStore, type SqliteStoreOptions } from './engines/sqlite/sqlite-store';
import type { CatalogStore } from './store';

export const CATALOG_FILE = 'strata.db';
/** The folder of a sharded store inside the data folder: its catalog file and shard files. */
export const SHARDED_DIR = 'sharded';

export interface OpenStoreOptions {
  engine?: EngineName;
  sqlite?: SqliteStoreOptions;
  sharded?: ShardedStoreOptions;
}

/**
 * Which store a data folder holds, until the database manager's durable pointer names it:
 * a sharded store when only its folder exists, otherwise the one-file catalog (new folders too).
 */
export function detectEngine(dataDir: string): EngineName {
  const sharded = fs.existsSync(path.join(dataDir, SHARDED_DIR, SHARDED_CATALOG_FILE));
  return sharded && !fs.existsSync(path.join(dataDir, CATALOG_FILE)) ? 'sharded' : 'sqlite';
}

export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  const engine = options.engine ?? detectEngine(dataDir);
  switch (engine) {
    case 'sqlite':
      return SqliteStore.open(path.join(dataDir, CATALOG_FILE), options.sqlite);
    case 'sharded':
      return ShardedStore.open(path.join(dataDir, SHARDED_DIR), options.sharded);
    default:
      throw invalidArgument(`The ${engine} engine is not available in this version of Strata.`);
  }
}
