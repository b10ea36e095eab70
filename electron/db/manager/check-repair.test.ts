/**
 * Damage found, named, fenced and repaired, on real files: orphan segment rows in a shard
 * (what a delete while a shard was away used to leave), a shard recreated empty while the
 * real one was away, wrong counters and a broken full-text index on one file, a tier-1 file
 * and a shard with overwritten pages. A failed check is recorded in control.db and refuses
 * writes, across restarts, until a check passes; `repair` fixes what the rows can settle.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { libraryBatch, manyFilesBatch } from '../conformance/fixtures';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { ShardedStore } from '../engines/sharded/sharded-store';
import { shardFileName } from '../engines/sharded/shard-file';
import { CATALOG_FILE, SHARDED_DIR } from '../open-store';
import { DatabaseManager } from './database-manager';

const quiet = { autoMoves: false, planEveryMs: 0 } as const;

/** Overwrites `count` pages spread over the middle of a file with noise, as a failing disk would. */
function overwritePages(file: string, count: number): void {
  const size = fs.statSync(file).size;
  const pages = Math.floor(size / 4096);
  const fd = fs.openSync(file, 'r+');
  try {
    for (let i = 1; i <= count; i++) {
      const page = Math.floor((pages * i) / (count + 1));
      const noise = Buffer.alloc(4096);
      for (let b = 0; b < noise.length; b++) noise[b] = (b * 131 + page * 17) % 251;
      fs.writeSync(fd, noise, 0, noise.length, page * 4096);
    }
  } finally {
    fs.closeSync(fd);
  }
}

describe('check, repair and writes on a damaged store', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('check-repair');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function shardedFolder(): Promise<{ shardDir: string; goneFiles: number }> {
    const manager = await DatabaseManager.open(dir, { ...quiet, open: { engine: 'sharded', sharded: { shards: 4 } } });
    try {
      const keep = await manager.write('create', (s) => s.createCollection({ name: 'Keep', source: 'nzb' }));
      await manager.write('ingest', (s) => s.ingest(keep.id, generateCatalog({ segments: 20_000, seed: 1, batchSegments: 5_000 })));
      const gone = await manager.write('create', (s) => s.createCollection({ name: 'Gone', source: 'nzb' }));
      await manager.write('ingest', (s) => s.ingest(gone.id, generateCatalog({ segments: 20_000, seed: 2, batchSegments: 5_000, pathPrefix: 'gone' })));
      return { shardDir: path.join(dir, SHARDED_DIR), goneFiles: (await manager.read(null, (s) => s.getCollection(gone.id))).fileCount };
    } finally {
      await manager.close();
    }
  }

  it('refuses to delete a collection while a shard is away, and nothing is left behind when it returns', async () => {
    const { shardDir } = await shardedFolder();
    const shard = path.join(shardDir, shardFileName(1));
    fs.renameSync(shard, `${shard}.away`);
    let manager = await DatabaseManager.open(dir, quiet);
    const gone = (await manager.read(null, (s) => s.findCollectionByName('Gone')))!;
    const error = await expectCode(manager.write('delete', (s) => s.deleteCollection(gone.id)), 'shard-unavailable');
    expect(error.message).toContain(shardFileName(1));
    expect((await manager.read(null, (s) => s.listCollections())).map((c) => c.name)).toEqual(['Gone', 'Keep']);
    await manager.close();
    fs.renameSync(`${shard}.away`, shard);
    manager = await DatabaseManager.open(dir, quiet);
    try {
      await manager.write('delete', (s) => s.deleteCollection(gone.id));
      expect((await manager.check()).problems).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it('never recreates a missing shard of a store that once held files (its real rows would come back as orphans)', async () => {
    const { shardDir } = await shardedFolder();
    let manager = await DatabaseManager.open(dir, quiet);
    for (const c of await manager.read(null, (s) => s.listCollections())) await manager.write('delete', (s) => s.deleteCollection(c.id));
    await manager.close();
    // Every file is gone and no ingest epoch will be committed again: the store looks new, but is not.
    const db = new Database(path.join(shardDir, 'catalog.db'));
    db.prepare('UPDATE shard_state SET committed_epoch = 0').run();
    db.close();
    const shard = path.join(shardDir, shardFileName(2));
    fs.renameSync(shard, `${shard}.away`);
    manager = await DatabaseManager.open(dir, quiet);
    try {
      expect(fs.existsSync(shard)).toBe(false);
      const report = await manager.check();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain(shardFileName(2));
    } finally {
      await manager.close();
    }
  });

  it('finds orphan segment rows in a shard, names it, refuses writes (also after a restart) until repair removes them', async () => {
    const { shardDir, goneFiles } = await shardedFolder();
    // What a delete while shard 1 was away left in older versions: the shard came back holding
    // the rows of files the catalog had deleted.
    const shard = path.join(shardDir, shardFileName(1));
    let manager = await DatabaseManager.open(dir, quiet);
    await manager.close();
    fs.copyFileSync(shard, `${shard}.before`);
    manager = await DatabaseManager.open(dir, quiet);
    const gone = (await manager.read(null, (s) => s.findCollectionByName('Gone')))!;
    const goneIds: number[] = [];
    for await (const batch of manager.store.streamTable('files')) for (const f of batch.rows) if (f.collection_id === gone.id) goneIds.push(f.id as number);
    expect(goneIds).toHaveLength(goneFiles);
    await manager.write('delete', (s) => s.deleteCollection(gone.id));
    await manager.close();
    fs.renameSync(`${shard}.before`, shard);
    const orphanRows = (() => {
      const db = new Database(shard, { readonly: true });
      try {
        return db.prepare(`SELECT count(*) FROM segments WHERE file_id IN (${goneIds.join(', ')})`).pluck().get() as number;
      } finally {
        db.close();
      }
    })();
    expect(orphanRows).toBeGreaterThan(0);

    manager = await DatabaseManager.open(dir, quiet);
    const stats = await manager.read(null, (s) => s.stats());
    const check = await manager.check();
    expect(check.ok).toBe(false);
    expect(check.problems).toHaveLength(1);
    expect(check.problems[0]).toMatch(new RegExp(`^shard 1 \\(${shard.replaceAll('/', '\\/').replaceAll('.', '\\.')}\\): segments whose file does not exist`, 'u'));
    const refused = await expectCode(manager.write('create a collection', (s) => s.createCollection({ name: 'New', source: 'nzb' })), 'db-corrupt');
    expect(refused.message).toContain('strata check --repair');
    expect(refused.message).toContain(shardFileName(1));
    // Reading works as usual.
    expect((await manager.read(null, (s) => s.listCollections())).map((c) => c.name)).toEqual(['Keep']);
    await manager.close();

    // The failed check is in control.db: a restarted process refuses too.
    manager = await DatabaseManager.open(dir, quiet);
    try {
      await expectCode(manager.write('import', (s) => s.createCollection({ name: 'New', source: 'nzb' })), 'db-corrupt');
      const { repair, check: after } = await manager.repair();
      const keepRows = stats.segments;
      expect(repair.unrepaired).toEqual([]);
      // Every row of the shard that belonged to the deleted collection, and none of Keep's.
      expect(repair.orphanSegments).toBe(orphanRows);
      expect(after).toMatchObject({ ok: true, problems: [] });
      expect((await manager.read(null, (s) => s.stats())).segments).toBe(keepRows);
      await manager.write('create a collection', (s) => s.createCollection({ name: 'New', source: 'nzb' }));
    } finally {
      await manager.close();
    }
  }, 120_000);

  it('repairs wrong counters, orphans and a broken full-text index in one file', async () => {
    let manager = await DatabaseManager.open(dir, quiet);
    const library = await manager.write('create', (s) => s.createCollection({ name: 'Library', source: 'nzb' }));
    await manager.write('ingest', (s) => s.ingest(library.id, [libraryBatch(), manyFilesBatch(40)]));
    const before = await manager.read(null, (s) => s.stats());
    const hit = (await manager.read(null, (s) => s.search({ query: 'arrival' }))).hits.map((h) => h.file.id);
    await manager.close();
    const db = new Database(path.join(dir, CATALOG_FILE));
    db.prepare('UPDATE files SET segment_count = segment_count + 3, bytes = 1 WHERE id = (SELECT min(id) FROM files)').run();
    db.prepare('UPDATE folders SET file_count = 99 WHERE id = (SELECT max(id) FROM folders)').run();
    db.prepare('UPDATE collections SET segment_count = 0').run();
    db.prepare('INSERT INTO segments (file_id, number, bytes, state) VALUES (999999, 1, 10, 0), (999999, 2, 10, 0)').run();
    db.prepare('DELETE FROM files_fts WHERE rowid IN (SELECT id FROM files LIMIT 5)').run();
    db.close();

    manager = await DatabaseManager.open(dir, quiet);
    try {
      const check = await manager.check();
      expect(check.problems.map((p) => p.split(':')[0])).toEqual([
        'full-text index',
        'file counters that do not match their segments',
        'segments whose file does not exist',
        'collection counters that do not match their files',
        'folder counters that do not match their contents',
      ]);
      const { repair, check: after } = await manager.repair();
      expect(repair).toMatchObject({ orphanSegments: 2, files: 1, folders: 1, collections: 1, fullTextRebuilt: true, unrepaired: [] });
      expect(after.problems).toEqual([]);
      expect({ ...(await manager.read(null, (s) => s.stats())), dbBytes: 0 }).toEqual({ ...before, dbBytes: 0 });
      expect((await manager.read(null, (s) => s.search({ query: 'arrival' }))).hits.map((h) => h.file.id)).toEqual(hit);
    } finally {
      await manager.close();
    }
  });

  it('names the damaged tables of a one-file catalog with three overwritten pages, and refuses imports into it', async () => {
    let manager = await DatabaseManager.open(dir, quiet);
    const c = await manager.write('create', (s) => s.createCollection({ name: 'Bulk', source: 'nzb' }));
    await manager.write('ingest', (s) => s.ingest(c.id, generateCatalog({ segments: 60_000, seed: 4, batchSegments: 10_000 })));
    await manager.close();
    overwritePages(path.join(dir, CATALOG_FILE), 3);
    manager = await DatabaseManager.open(dir, quiet);
    try {
      const check = await manager.check();
      expect(check.ok).toBe(false);
      expect(check.problems[0]).toMatch(/^storage of strata\.db \(.+\): damaged tables?: /u);
      expect(check.problems[0]).toMatch(/segments|files/u);
      await expectCode(manager.write('import NZB files', (s) => s.createCollection({ name: 'More', source: 'nzb' })), 'db-corrupt');
      const { repair, check: after } = await manager.repair();
      expect(repair.unrepaired.join('\n')).toContain('restore a backup');
      expect(after.ok).toBe(false);
      await expectCode(manager.write('import NZB files', (s) => s.createCollection({ name: 'More', source: 'nzb' })), 'db-corrupt');
    } finally {
      await manager.close();
    }
  });

  it('names a shard whose pages were overwritten, by its file', async () => {
    const { shardDir } = await shardedFolder();
    const shard = path.join(shardDir, shardFileName(3));
    overwritePages(shard, 3);
    const store = await ShardedStore.open(shardDir);
    try {
      const report = await store.checkIntegrity();
      expect(report.ok).toBe(false);
      expect(report.problems.join('\n')).toContain(shard);
      expect(report.problems.join('\n')).not.toMatch(/catalog .* is damaged/u);
    } finally {
      await store.close();
    }
  });
});
