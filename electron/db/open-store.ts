/**
 * Opens the store a data folder's durable pointer names (control.db). A folder without one
 * adopts what it holds: a sharded store when only its folder exists, otherwise the one-file
 * catalog (a new folder starts on tier 1 with no questions).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineName } from '../../shared/domain';
import { StrataError, invalidArgument } from '../../shared/errors';
import { SHARDED_CATALOG_FILE, ShardedStore, type ShardedStoreOptions } from './engines/sharded/sharded-store';
import { SqliteStore, type SqliteStoreOptions } from './engines/sqlite/sqlite-store';
import type { PostgresStoreOptions } from './engines/postgres/open-pg-store';
import type { PgStoreOptions } from './engines/postgres/pg-store';

/** The PGlite store's folder inside the data folder. */
export const PGLITE_DIR = 'pglite';
import { ControlDb, type StoreRecord } from './manager/control-db';
import { readConnectionString } from './manager/store-secrets';
import { adoptsSilently, controlMissingError, findStores, refuseMissingActive } from './manager/store-presence';
import type { CatalogStore } from './store';
import type { ReadOnlyState } from '../../shared/manager';

export const CATALOG_FILE = 'strata.db';
/** The folder of a sharded store inside the data folder: its catalog file and shard files. */
export const SHARDED_DIR = 'sharded';

export interface OpenStoreOptions {
  /** The engine of a new data folder's store; an existing folder must already be on it. */
  engine?: EngineName;
  sqlite?: SqliteStoreOptions;
  sharded?: ShardedStoreOptions;
  pglite?: PgStoreOptions;
  /** A portable or existing server: required for the postgres engine (never stored in a record). */
  postgres?: PostgresStoreOptions & { connectionString: string };
  /** The data folder cannot be written (read-only/folder-access.ts): open query-only, record nothing. */
  readOnly?: ReadOnlyState;
}

/** What a data folder without a control database holds. */
export function detectEngine(dataDir: string): EngineName {
  const sharded = fs.existsSync(path.join(dataDir, SHARDED_DIR, SHARDED_CATALOG_FILE));
  return sharded && !fs.existsSync(path.join(dataDir, CATALOG_FILE)) ? 'sharded' : 'sqlite';
}

/** Where a store of `engine` lives inside the data folder when the folder starts on it. */
export function defaultLocation(engine: EngineName): string {
  if (engine === 'pglite') return PGLITE_DIR;
  return engine === 'sharded' ? SHARDED_DIR : CATALOG_FILE;
}

/** Opens one store from its record; `location` is relative to the data folder. */
export async function openStoreRecord(dataDir: string, record: Pick<StoreRecord, 'engine' | 'location' | 'options'>, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  const where = path.resolve(dataDir, record.location);
  if (options.readOnly && (record.engine === 'pglite' || (record.engine === 'postgres' && record.options.server === 'portable'))) {
    // PostgreSQL (PGlite included) writes its data directory as it starts (postmaster.pid,
    // the WAL, recovery), so it cannot read one it may not write; PGlite would fail deep in
    // WebAssembly with an errno. Said here, before either starts.
    throw new StrataError(
      'read-only',
      `The data folder ${dataDir} is read-only (${options.readOnly.path} cannot be written: ${options.readOnly.reason}), and its catalog is kept in ${record.engine === 'pglite' ? 'PGlite (embedded PostgreSQL)' : 'the portable PostgreSQL server'}, which must write its data directory even to read. Copy the data folder somewhere you may write and open the copy there; to browse from read-only media, move the catalog to SQLite first (strata migrate --to sqlite) where it is writable.`,
      { dataDir, engine: record.engine, path: options.readOnly.path },
    );
  }
  switch (record.engine) {
    case 'sqlite':
      return SqliteStore.open(where, { ...options.sqlite, ...(options.readOnly ? { readOnly: true } : {}) });
    case 'sharded':
      return ShardedStore.open(where, { ...(record.options as ShardedStoreOptions), ...options.sharded, ...(options.readOnly ? { readOnly: true } : {}) });
    // Loaded on first use: the Postgres drivers (a WASM build, a network client) cost start-up
    // time that the SQLite tiers should not pay.
    case 'pglite':
      return (await import('./engines/postgres/open-pg-store')).openPgliteStore(where, { ...(record.options as PgStoreOptions), ...options.pglite });
    case 'postgres':
      if (record.options.server === 'portable') {
        const portable = await import('./engines/postgres/portable-store');
        return portable.openPortablePostgresStore(path.resolve(dataDir), { database: typeof record.options.database === 'string' ? record.options.database : 'strata', ...options.postgres });
      }
      {
        // An existing server: its connection string sits in a user-only file named by the record.
        const saved = typeof record.options.urlFile === 'string' ? readConnectionString(dataDir, record.options.urlFile) : undefined;
        const connectionString = options.postgres?.connectionString ?? saved;
        if (!connectionString) {
          throw invalidArgument('The postgres engine needs a connection string (the portable server or an existing server).');
        }
        return (await import('./engines/postgres/open-pg-store')).openPostgresStore(connectionString, { ...options.postgres });
      }
    default:
      // Records written by a later version may name engines this one does not know.
      throw invalidArgument(`The ${String(record.engine)} engine is not available in this version of Strata.`);
  }
}

/**
 * The active store record of a read-only folder: what control.db names, or (a folder from
 * before control.db) what the folder holds, adopted in memory only.
 */
function readOnlyStoreRecord(dataDir: string, engine?: EngineName): StoreRecord {
  return ControlDb.usingReadOnly(dataDir, (control) => {
    const active = control?.activeStore() ?? null;
    if (active) {
      if (engine && engine !== active.engine) {
        throw new StrataError('conflict', `The data folder ${dataDir} holds a ${active.engine} store, not ${engine}.`, { active: active.engine, asked: engine });
      }
      refuseMissingActive(dataDir, control as ControlDb, active);
      return active;
    }
    const found = findStores(dataDir);
    if (!adoptsSilently(dataDir, found)) throw controlMissingError(dataDir, found);
    const adopted = engine ?? detectEngine(dataDir);
    return { id: 0, engine: adopted, location: defaultLocation(adopted), options: {}, role: 'active' };
  });
}

/** The active store record of a data folder, adopting what the folder holds the first time. */
export function activeStoreRecord(dataDir: string, engine?: EngineName, readOnly = false): StoreRecord {
  if (readOnly) return readOnlyStoreRecord(dataDir, engine);
  // A folder Strata creates is the user's alone (see file-modes.ts; one the user chose keeps its mode).
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return ControlDb.using(dataDir, (control) => {
    const active = control.activeStore();
    if (active) {
      if (engine && engine !== active.engine) {
        throw new StrataError(
          'conflict',
          `The data folder ${dataDir} holds a ${active.engine} store; move it with \`strata migrate --to ${engine}\` instead of opening it as ${engine}.`,
          { active: active.engine, asked: engine },
        );
      }
      refuseMissingActive(dataDir, control, active);
      return active;
    }
    // No pointer: a new folder, a folder from before control.db, or a lost control.db. Only
    // the first two may go on by themselves.
    const found = findStores(dataDir);
    if (!adoptsSilently(dataDir, found)) throw controlMissingError(dataDir, found);
    const adopted = engine ?? detectEngine(dataDir);
    return control.adopt(adopted, defaultLocation(adopted));
  });
}

export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  return openStoreRecord(dataDir, activeStoreRecord(dataDir, options.engine, options.readOnly !== undefined), options);
}
