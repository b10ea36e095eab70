/**
 * What the sharded tier adds beyond the conformance suite: rows in the shard the map names,
 * re-sharding in both directions (verified, minimal, refusing writes meanwhile), and a missing
 * or damaged shard that is named while the others stay readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../scripts/generate/catalog-generator';
import { expectCode } from '../../conformance/expect-code';
import { makeTempDir } from '../../conformance/test-engines';
import type { Row } from '../../store';
import { shardOf } from './jump-hash';
import { shardFileName } from './shard-file';
import { ShardedStore } from './sharded-store';
import Database from 'better-sqlite3';

async function allSegments(store: ShardedStore): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of store.streamTable('segments', { batchSize: 10_000 })) rows.push(...batch.rows);
  return rows;
}

/** Which file ids each shard file holds, read straight from the files. */
function filesPerShard(dir: string, count: number): Set<number>[] {
  return Array.from({ length: count }, (_, i) => {
    const db = new Database(path.join(dir, shardFileName(i)), { readonly: true });
    try {
      return new Set(db.prepare('SELECT DISTINCT file_id FROM segments').pluck().all() as number[]);
    } finally {
      db.close();
    }
  });
}

describe('sharded store', () => {
  let dir: string;
  let store: ShardedStore;

  beforeEach(async () => {
    dir = path.join(makeTempDir('sharded'), 'store');
    store = await ShardedStore.open(dir, { shards: 3 });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  async function fill(segments: number, seed = 7): Promise<void> {
    const c = await store.createCollection({ name: `Gen ${seed}`, source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments, seed, batchSegments: 4_000 }));
  }

  it('keeps each file in the shard jump hashing names, and the map across reopen', async () => {
    await fill(30_000);
    await store.close();
    store = await ShardedStore.open(dir, { shards: 9 });
    // An existing store keeps its own map whatever a caller asks for.
    expect(store.shardCount).toBe(3);
    const perShard = filesPerShard(dir, 3);
    const files = perShard.reduce((n, s) => n + s.size, 0);
    expect(files).toBe((await store.stats()).files);
    perShard.forEach((ids, index) => {
      for (const id of ids) expect(shardOf(id, 3)).toBe(index);
      // Roughly a third each: the hash spreads sequential ids.
      expect(ids.size).toBeGreaterThan(files / 3 - files / 6);
    });
  });

  it('re-shards up and down online, moving only what must move, with every row intact', async () => {
    await fill(60_000);
    const before = await allSegments(store);
    const statsBefore = await store.stats();
    const phases = new Set<string>();
    const grown = await store.reshard(7, { onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(expect.arrayContaining(['copy', 'verify', 'cleanup', 'done']));
    expect(grown.verified).toBe(true);
    expect(grown.totalRows).toBe(before.length);
    // Growing 3 -> 7 should move 4/7 of the rows; the hash gets within a few percent.
    expect(Math.abs(grown.movedShare - 4 / 7)).toBeLessThan(0.05);
    expect(store.shardCount).toBe(7);
    expect(await allSegments(store)).toEqual(before);
    expect((await store.checkIntegrity()).problems).toEqual([]);
    expect({ ...(await store.stats()), dbBytes: 0 }).toEqual({ ...statsBefore, dbBytes: 0 });
    filesPerShard(dir, 7).forEach((ids, index) => ids.forEach((id) => expect(shardOf(id, 7)).toBe(index)));

    const shrunk = await store.reshard(2);
    expect(shrunk.verified).toBe(true);
    expect(store.shardCount).toBe(2);
    expect(fs.existsSync(path.join(dir, shardFileName(2)))).toBe(false);
    expect(await allSegments(store)).toEqual(before);
    expect((await store.checkIntegrity()).problems).toEqual([]);

    await store.close();
    store = await ShardedStore.open(dir);
    expect(store.shardCount).toBe(2);
    expect(await allSegments(store)).toEqual(before);
    const file = (await store.listFiles({ collectionId: (await store.listCollections())[0]!.id, limit: 1 })).items[0]!;
    expect(await store.getSegments({ fileId: file.id })).toHaveLength(file.segmentCount);
  });

  it('refuses imports while re-sharding, keeps reading, and takes imports again afterwards', async () => {
    await fill(40_000);
    const c = (await store.listCollections())[0]!;
    const moving = store.reshard(5);
    // Give the re-sharding a moment to start copying.
    await new Promise((r) => setTimeout(r, 50));
    await expectCode(store.ingest(c.id, [{ files: [{ path: 'late.bin', size: 10, segments: [{ number: 1, bytes: 10 }] }] }]), 'busy');
    expect((await store.listFiles({ collectionId: c.id, limit: 5 })).items).toHaveLength(5);
    await moving;
    await store.ingest(c.id, [{ files: [{ path: 'late.bin', size: 10, segments: [{ number: 1, bytes: 10 }] }] }]);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  /**
   * Fills the store, breaks shard `broken` with `damage` while closed, reopens, and checks that
   * a file on another shard still reads while one on the broken shard fails naming the file.
   */
  async function breakShard(broken: number, damage: (file: string) => void) {
    await fill(20_000);
    const c = (await store.listCollections())[0]!;
    const files = (await store.listFiles({ collectionId: c.id, limit: 200 })).items;
    await store.close();
    damage(path.join(dir, shardFileName(broken)));
    store = await ShardedStore.open(dir);
    const lost = files.find((f) => shardOf(f.id, 3) === broken)!;
    const kept = files.find((f) => shardOf(f.id, 3) !== broken)!;
    expect(await store.getSegments({ fileId: kept.id })).toHaveLength(kept.segmentCount);
    const error = await expectCode(store.getSegments({ fileId: lost.id }), 'shard-unavailable');
    expect(error.message).toContain(shardFileName(broken));
    expect(error.details).toMatchObject({ index: broken });
    return { collectionId: c.id, error };
  }

  it('names a missing shard and keeps the others readable', async () => {
    const { collectionId, error } = await breakShard(1, (file) => fs.rmSync(file));
    expect(error.message).toContain('missing');
    await expectCode(store.ingest(collectionId, [{ files: [{ path: 'x.bin', size: 1, segments: [{ number: 1, bytes: 1 }] }] }]), 'shard-unavailable');
    const report = await store.checkIntegrity();
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain(shardFileName(1));
    // Browsing the catalog does not need the shard.
    expect((await store.listFiles({ collectionId, limit: 10 })).items).toHaveLength(10);
  });

  it('names a damaged shard and keeps the others readable', async () => {
    const { error } = await breakShard(2, (file) => {
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, 0);
      fs.closeSync(fd);
    });
    expect(error.message).toContain('damaged');
  });

  it('refuses a shard file that belongs to another store', async () => {
    await store.close();
    const other = path.join(path.dirname(dir), 'other');
    const foreign = await ShardedStore.open(other, { shards: 3 });
    await foreign.close();
    fs.copyFileSync(path.join(other, shardFileName(0)), path.join(dir, shardFileName(0)));
    store = await ShardedStore.open(dir);
    const report = await store.checkIntegrity();
    expect(report.problems.join('\n')).toMatch(/another catalog/u);
  });

  it('is refused as a one-file catalog, and a one-file catalog is refused as its catalog', async () => {
    const { SqliteStore } = await import('../sqlite/sqlite-store');
    await expectCode(SqliteStore.open(path.join(dir, 'catalog.db')), 'db-foreign');
    const single = path.join(path.dirname(dir), 'single');
    const one = await SqliteStore.open(path.join(single, 'catalog.db'));
    await one.createCollection({ name: 'A', source: 'local' });
    await one.close();
    await expectCode(ShardedStore.open(single), 'db-foreign');
  });
});
