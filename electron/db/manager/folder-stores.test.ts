/**
 * The stores a data folder keeps after moves, and removing the ones the user names: two moves
 * leave an active store, a previous one and a retired full copy; the retired one can go, the
 * active one and a move's unfinished copy never do, and nothing goes when one name is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from './database-manager';
import { listFolderStores, removeRetiredStores, storeName, storesToRemove } from './folder-stores';
import { migrateDataFolder } from '../migration/migrate-data-folder';

describe('the stores of a data folder', () => {
  let data: string;
  beforeEach(async () => {
    data = makeTempDir('folder-stores');
    const manager = await DatabaseManager.open(data, { autoMoves: false, planEveryMs: 0 });
    await manager.write('seed', async (store) => {
      const c = await store.createCollection({ name: 'Trial', source: 'nzb' });
      await store.ingest(c.id, generateCatalog({ segments: 3_000, seed: 3 }));
    });
    await manager.close();
  });
  afterEach(() => fs.rmSync(data, { recursive: true, force: true }));

  it('names the stores by their place', () => {
    expect(storeName('strata.db')).toBe('strata.db');
    expect(storeName(path.join('stores', 'sqlite-abc', 'strata.db'))).toBe('sqlite-abc');
    expect(storeName(path.join('stores', 'sharded-abc'))).toBe('sharded-abc');
    expect(storeName('postgres#strata_abc')).toBe('postgres#strata_abc');
  });

  it('lists active, previous and retired with their size, and removes only a retired one', async () => {
    expect(listFolderStores(data).map((s) => [s.name, s.role])).toEqual([['strata.db', 'active']]);
    await migrateDataFolder(data, { to: 'sharded', shards: 2 });
    await migrateDataFolder(data, { to: 'sqlite' });
    const stores = listFolderStores(data);
    expect(stores.map((s) => [s.engine, s.role])).toEqual([
      ['sqlite', 'active'],
      ['sharded', 'previous'],
      ['sqlite', 'retired'],
    ]);
    for (const s of stores) expect(s.bytes).toBeGreaterThan(100_000);
    const [active, previous, retired] = stores as [(typeof stores)[0], (typeof stores)[0], (typeof stores)[0]];
    expect(retired.name).toBe('strata.db');

    await expectCode(Promise.resolve().then(() => storesToRemove(data, [retired.name, active.name])), 'conflict');
    await expectCode(Promise.resolve().then(() => storesToRemove(data, [retired.name, 'nope'])), 'invalid-argument');
    expect(fs.existsSync(path.join(data, 'strata.db'))).toBe(true);

    expect(storesToRemove(data, [previous.name]).map((s) => s.role)).toEqual(['previous']);
    await removeRetiredStores(data, storesToRemove(data, [retired.name]));
    expect(fs.existsSync(path.join(data, 'strata.db'))).toBe(false);
    expect(listFolderStores(data).map((s) => s.role)).toEqual(['active', 'previous']);
    // The previous store is no retired one: this module leaves it to the manager.
    await expect(removeRetiredStores(data, [previous])).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.existsSync(path.resolve(data, previous.location))).toBe(true);
  });
});
