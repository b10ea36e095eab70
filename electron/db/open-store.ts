/**
 * Opens the store of a data folder. Today that is tier 1; the database manager (which reads
 * the durable pointer naming the active store) replaces the fixed choice here.
 */
import path from 'node:path';
import type { EngineName } from '../../shared/domain';
import { invalidArgument } from '../../shared/errors';
import { SqliteStore, type SqliteStoreOptions } from './engines/sqlite/sqlite-store';
import { PGLITE_DIR, openPgliteStore, openPostgresStore, type PostgresStoreOptions } from './engines/postgres/open-pg-store';
import type { PgStoreOptions } from './engines/postgres/pg-store';
import type { CatalogStore } from './store';

export const CATALOG_FILE = 'strata.db';

export interface OpenStoreOptions {
  engine?: EngineName;
  sqlite?: SqliteStoreOptions;
  pglite?: PgStoreOptions;
  /** A portable or existing server: required for the postgres engine. */
  postgres?: PostgresStoreOptions & { connectionString: string };
}

export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  const engine = options.engine ?? 'sqlite';
  switch (engine) {
    case 'sqlite':
      return SqliteStore.open(path.join(dataDir, CATALOG_FILE), options.sqlite);
    case 'pglite':
      return openPgliteStore(path.join(dataDir, PGLITE_DIR), options.pglite);
    case 'postgres':
      if (!options.postgres?.connectionString) {
        throw invalidArgument('The postgres engine needs a connection string (the portable server or an existing server).');
      }
      return openPostgresStore(options.postgres.connectionString, options.postgres);
    default:
      throw invalidArgument(`The ${engine} engine is not available in this version of Strata.`);
  }
}
