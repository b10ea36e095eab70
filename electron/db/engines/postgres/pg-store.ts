/** Opens tier 3 on a driver (PGlite or a server): the Postgres core behind the shared store front. */
import type { CatalogStore, StoreCapabilities } from '../../store';
import { CheckedStore } from '../../store-front/checked-store';
import { PgCore, type PgStoreOptions } from './pg-core';
import type { PgDriver } from './pg-driver';

export { checkPartitions, type PgStoreOptions } from './pg-core';

type BackupRecords = Record<string, { rows: number; digest: string }> | null;

/** A Postgres store has every optional capability but text streams, and loads a backup into itself (strata restore's new, empty store). */
export type PgStore = CatalogStore &
  Required<Pick<CatalogStore, 'repair' | 'openLoader' | 'digestTable'>> & {
    /** The counts and digests the backup recorded, or null for a backup from before it did. */
    restoreFrom(file: string): Promise<BackupRecords>;
  };

class PgFront extends CheckedStore {
  constructor(private readonly pg: PgCore) {
    super(pg);
  }

  restoreFrom(file: string): Promise<BackupRecords> {
    return this.guard(() => this.pg.restoreFrom(file));
  }
}

export const PgStore = {
  /** Migrates the database at `driver` and finishes interrupted work. Closes the driver if that fails. */
  async open(driver: PgDriver, capabilities: StoreCapabilities, options: PgStoreOptions = {}): Promise<PgStore> {
    return new PgFront(await PgCore.open(driver, capabilities, options)) as PgStore;
  },
  /** Opens an empty database and loads a backup written by `backup()` into it. */
  async restore(driver: PgDriver, capabilities: StoreCapabilities, file: string, options: PgStoreOptions = {}): Promise<PgStore> {
    return new PgFront(await PgCore.restore(driver, capabilities, file, options)) as PgStore;
  },
};
