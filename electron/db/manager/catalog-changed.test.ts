/** Every write that lands is announced, so pages elsewhere re-read; a refused one is not. */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager, type ManagerEventName } from './database-manager';

describe('catalog/changed', () => {
  let dir: string;
  let manager: DatabaseManager;
  beforeEach(async () => {
    dir = makeTempDir('changed');
    manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
  });
  afterEach(async () => {
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('follows each write that lands, naming it, and not a read or a failed write', async () => {
    const seen: { name: ManagerEventName; payload: unknown }[] = [];
    manager.onEvent((name, payload) => seen.push({ name, payload }));
    await manager.write('create a collection', (store) => store.createCollection({ name: 'Fresh', source: 'nzb' }));
    expect(seen).toEqual([{ name: 'catalog/changed', payload: { what: 'create a collection' } }]);
    await manager.read(null, (store) => store.listCollections());
    await expect(manager.write('fail on purpose', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(seen).toHaveLength(1);
  });
});
