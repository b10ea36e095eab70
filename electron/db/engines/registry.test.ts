import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, engineOf } from './registry';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the engine registry', () => {
  it('lists every engine under its own name, with one first place each', () => {
    for (const [name, engine] of Object.entries(ENGINES)) expect(engine.name).toBe(name);
    const places = Object.values(ENGINES).flatMap((e) => (e.defaultLocation === null ? [] : [e.defaultLocation]));
    expect(new Set(places).size).toBe(places.length);
    expect(() => engineOf('mysql')).toThrow(/mysql engine is not available/u);
  });

  // Real stores in a real folder: what the definition says is there must be what the engine made.
  for (const name of ['sqlite', 'sharded', 'pglite'] as const) {
    it(`${name}: a move's target is new, opens, is found, and is removed`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `strata-registry-${name}-`));
      dirs.push(dataDir);
      const engine = ENGINES[name];
      const planned = engine.newTarget(dataDir, { to: name, shards: 2 }, 'test1');
      const record = { engine: name, ...planned };
      expect(record.location.startsWith('stores')).toBe(true);
      expect(engine.newTarget(dataDir, { to: name }, 'test2').location).not.toBe(record.location);
      // A lost control.db's search finds the copy by its folder's name, as this engine's and no other's.
      const folder = record.location.split(path.sep)[1] as string;
      for (const other of Object.values(ENGINES)) expect(other.copyLocation(folder)).toBe(other === engine ? record.location : null);
      expect(engine.presence(dataDir, record)).toBe('missing');
      expect(engine.writesToRead(record)).toBe(name === 'pglite');
      const store = await engine.open(dataDir, record, {});
      await store.createCollection({ name: 'Kept', source: 'nzb' });
      expect(store.capabilities.engine).toBe(name);
      expect(typeof store.reshard === 'function').toBe(name === 'sharded');
      await store.close();
      expect(engine.presence(dataDir, record)).toBe('present');
      const reopened = await engine.open(dataDir, record, {});
      expect((await reopened.listCollections()).map((c) => c.name)).toEqual(['Kept']);
      await reopened.close();
      await engine.removeData(dataDir, record);
      expect(engine.presence(dataDir, record)).toBe('missing');
      expect(fs.readdirSync(path.join(dataDir, 'stores'))).toEqual([]);
    });
  }
});
