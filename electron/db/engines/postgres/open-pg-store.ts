/** Opens the Postgres dialect on each driver: PGlite in a data folder, or a server by connection string. */
import { NodePgDriver } from './node-pg-driver';
import { PGLITE_CAPABILITIES, postgresCapabilities } from './pg-capabilities';
import { PgStore, checkPartitions, type PgStoreOptions } from './pg-store';
import { PgliteDriver } from './pglite-driver';


export interface PostgresStoreOptions extends PgStoreOptions {
  poolSize?: number;
}

const DEFAULT_POOL_SIZE = 4;

export async function openPgliteStore(dataDir: string, options: PgStoreOptions & { durable?: boolean } = {}): Promise<PgStore> {
  checkPartitions(options.segmentPartitions);
  const { durable, ...storeOptions } = options;
  return PgStore.open(await PgliteDriver.open(dataDir, durable === undefined ? {} : { durable }), PGLITE_CAPABILITIES, storeOptions);
}

export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Promise<PgStore> {
  checkPartitions(options.segmentPartitions);
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  return PgStore.open(await NodePgDriver.open({ connectionString, poolSize }), postgresCapabilities(poolSize), options);
}

/** Restores a backup written by `PgStore.backup` into a new PGlite data folder. */
export async function restorePgliteStore(backupFile: string, dataDir: string, options: PgStoreOptions = {}): Promise<PgStore> {
  return PgStore.restore(await PgliteDriver.open(dataDir), PGLITE_CAPABILITIES, backupFile, options);
}

/** Restores a backup written by `PgStore.backup` into an empty server database. */
export async function restorePostgresStore(backupFile: string, connectionString: string, options: PostgresStoreOptions = {}): Promise<PgStore> {
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  return PgStore.restore(await NodePgDriver.open({ connectionString, poolSize }), postgresCapabilities(poolSize), backupFile, options);
}
