/**
 * The engines the conformance suite runs, selected with ENGINES=sqlite,sharded,pglite,postgres
 * (default: every engine this build has). Each later tier adds its entry here and must pass
 * the same cases unchanged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineName } from '../../../shared/domain';
import { ShardedStore } from '../engines/sharded/sharded-store';
import { SqliteStore } from '../engines/sqlite/sqlite-store';
import { openPostgresStore, restorePgliteStore, restorePostgresStore } from '../engines/postgres/open-pg-store';
import { PGLITE_DIR } from '../engines/postgres/pglite-definition';
import { TEST_PG_URL_ENV, ensureTestDatabase } from '../engines/postgres/testing/pg-test-database';
import { openPgliteTestStore } from '../engines/postgres/testing/pglite-template';
import type { CatalogStore } from '../store';

export interface TestEngine {
  name: EngineName;
  /** Opens (or reopens) the store kept in `dir`. */
  open(dir: string): Promise<CatalogStore>;
  /** Opens a backup written by `store.backup(file)` as a store, read-only use. */
  openBackup(file: string): Promise<CatalogStore>;
}

const AVAILABLE: Record<string, TestEngine> = {
  sqlite: {
    name: 'sqlite',
    open: (dir) => SqliteStore.open(path.join(dir, 'strata.db')),
    openBackup: (file) => SqliteStore.open(file),
  },
  // Three shards: an odd count exercises routing that a power of two could hide.
  sharded: {
    name: 'sharded',
    open: (dir) => ShardedStore.open(path.join(dir, 'sharded'), { shards: 3 }),
    openBackup: (folder) => ShardedStore.open(folder),
  },
  pglite: {
    name: 'pglite',
    open: (dir) => openPgliteTestStore(path.join(dir, PGLITE_DIR)),
    // A Postgres backup is a logical dump; it opens by restoring into a fresh data folder beside it.
    openBackup: (file) => restorePgliteStore(file, `${file}.restored`),
  },
};

// A real server only when the environment names one: a superuser connection string. Each test
// folder gets a database of its own, created on first open and reused on reopen.
const pgUrl = process.env[TEST_PG_URL_ENV];
if (pgUrl) {
  AVAILABLE.postgres = {
    name: 'postgres',
    open: async (dir) => openPostgresStore(await ensureTestDatabase(pgUrl, dir)),
    openBackup: async (file) => restorePostgresStore(file, await ensureTestDatabase(pgUrl, `backup:${file}`)),
  };
}

export function selectedEngines(): TestEngine[] {
  const wanted = (process.env.ENGINES ?? Object.keys(AVAILABLE).join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return wanted.map((name) => {
    const engine = AVAILABLE[name];
    // An engine asked for but not built is a failure, never a silent skip.
    if (!engine && name === 'postgres') {
      throw new Error(`ENGINES names "postgres", which needs ${TEST_PG_URL_ENV} (a superuser connection string to a running server)`);
    }
    if (!engine) throw new Error(`ENGINES names "${name}", which this build does not have (have: ${Object.keys(AVAILABLE).join(', ')})`);
    return engine;
  });
}

export function makeTempDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `strata-${label}-`));
}
