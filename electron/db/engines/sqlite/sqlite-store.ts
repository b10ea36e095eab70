/** Opens tier 1: one SQLite file, behind the shared store front. */
import type { CatalogStore } from '../../store';
import { CheckedStore } from '../../store-front/checked-store';
import { DEFAULT_TUNING, openCatalogDatabase, openCatalogReadOnly, type SqliteTuning } from './open-database';
import { LocalSegments } from './local-segments';
import { SqliteCore } from './sqlite-core';
import { WriterThread } from './writer-thread';

export interface SqliteStoreOptions {
  tuning?: Partial<SqliteTuning>;
  /** The folder cannot be written: open with a query-only connection and change nothing at open. */
  readOnly?: boolean;
}

/** A one-file store has every optional capability but an engine digest and re-sharding. */
export type SqliteStore = CatalogStore & Required<Pick<CatalogStore, 'repair' | 'openLoader' | 'streamTableText' | 'streamSegmentsText'>>;

export const SqliteStore = {
  async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    if (options.readOnly) {
      // The deletes a crash left pending stay pending: finishing them is a write.
      const opened = openCatalogReadOnly(file, tuning);
      return new CheckedStore(new SqliteCore(opened.db, file, opened.schemaVersion, true, (c) => new LocalSegments(c))) as SqliteStore;
    }
    const opened = openCatalogDatabase(file, tuning);
    const core = new SqliteCore(opened.db, file, opened.schemaVersion, false, (c) => new LocalSegments(c));
    // A temporary database is private to its connection: its imports stay on this thread.
    if (file !== '' && file !== ':memory:') core.writeOnThread(new WriterThread({ file, tuning, schemaVersion: opened.schemaVersion }));
    await core.finishPendingDeletes();
    return new CheckedStore(core) as SqliteStore;
  },
};
