import { describe, expectTypeOf, it } from 'vitest';
import type { DatabaseManager } from './manager/database-manager';
import type { CatalogReader, CatalogStore } from './store';

// Type-level: `npm run typecheck` compiles this file, so a write method leaking into the read
// view (or the manager handing reads the whole store again) fails the suite.
type Writes = 'createCollection' | 'renameCollection' | 'deleteCollection' | 'ingest' | 'updateSegments' | 'updateFileMtimes' | 'finishNzbSource' | 'deleteFiles' | 'removeNzbSource' | 'repair' | 'openLoader' | 'close' | 'reshard' | 'appendSegments';

describe('the read view of a store', () => {
  it('has every query and none of the writes', () => {
    expectTypeOf<Extract<keyof CatalogReader, Writes>>().toEqualTypeOf<never>();
    // Every write named here is one the store really has (a renamed method must be renamed here).
    expectTypeOf<Extract<keyof CatalogStore, Writes>>().toEqualTypeOf<Writes>();
    // Everything else the store has is a query the view keeps.
    expectTypeOf<Exclude<keyof CatalogStore, Writes>>().toEqualTypeOf<keyof CatalogReader>();
  });

  it('is what DatabaseManager.read hands its callback', () => {
    type ReadCallback = Parameters<DatabaseManager['read']>[1];
    expectTypeOf<Parameters<ReadCallback>[0]>().toEqualTypeOf<CatalogReader>();
  });
});
