/**
 * The sharded tier's search file (search.db): searches see committed files only, removed files
 * leave it, and whatever happens to it (a kill between the catalog's commit and its own, lost
 * rows, a damaged or foreign file, a store from before it) is mended from the catalog.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../scripts/generate/catalog-generator';
import { bundledHelper } from '../../../../scripts/testing/bundled-helper';
import { makeTempDir } from '../../conformance/test-engines';
import { rebuildFullText } from '../sqlite/sqlite-table-loader';
import { SEARCH_FILE } from './search-file';
import { SHARDED_CATALOG_FILE, ShardedStore } from './sharded-store';

const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'sharded-until-killed.ts');

/** Rows of the full-text index in one file, read straight from it. */
function indexRows(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT count(*) FROM files_fts').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('sharded search file', () => {
  let dir: string;
  let store: ShardedStore;

  beforeEach(async () => {
    dir = path.join(makeTempDir('sharded-search'), 'store');
    store = await ShardedStore.open(dir, { shards: 2 });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  async function fill(segments: number, seed = 3): Promise<number> {
    const c = await store.createCollection({ name: `Gen ${seed}`, source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments, seed, batchSegments: 3_000 }));
    return c.id;
  }

  it('indexes in its own file, finds what the catalog committed, and forgets removed files', async () => {
    await fill(20_000);
    const files = (await store.stats()).files;
    const page = await store.search({ query: 'flac OR jpg OR rar', limit: 5 });
    expect(page.hits.length).toBe(5);
    expect((await store.checkIntegrity()).problems).toEqual([]);
    await store.close();
    expect(indexRows(path.join(dir, SEARCH_FILE))).toBe(files);
    // The catalog keeps its (empty) table from the shared schema, and nothing in it.
    expect(indexRows(path.join(dir, SHARDED_CATALOG_FILE))).toBe(0);

    store = await ShardedStore.open(dir);
    const hit = (await store.search({ query: 'flac', limit: 1 })).hits[0];
    expect(hit).toBeDefined();
    const id = hit?.file.id as number;
    await store.deleteFiles([id]);
    const after = await store.search({ query: 'flac', limit: 500 });
    expect(after.hits.map((h) => h.file.id)).not.toContain(id);
    expect((await store.checkIntegrity()).problems).toEqual([]);
    await store.close();
    expect(indexRows(path.join(dir, SEARCH_FILE))).toBe(files - 1);
    store = await ShardedStore.open(dir);
  }, 120_000);

  it('indexes the catalog again when its file is missing, damaged or from another store, and empties the old index in the catalog', async () => {
    await fill(12_000);
    const files = (await store.stats()).files;
    const expected = (await store.search({ query: 'jpg', limit: 50 })).hits.map((h) => h.file.id);
    expect(expected.length).toBeGreaterThan(0);
    await store.close();
    const searchFile = path.join(dir, SEARCH_FILE);

    // A store from before the search file: its index in the catalog, no search.db.
    const catalog = new Database(path.join(dir, SHARDED_CATALOG_FILE));
    rebuildFullText(catalog);
    catalog.pragma('wal_checkpoint(TRUNCATE)');
    catalog.close();
    fs.rmSync(searchFile);
    store = await ShardedStore.open(dir);
    expect((await store.search({ query: 'jpg', limit: 50 })).hits.map((h) => h.file.id)).toEqual(expected);
    expect((await store.checkIntegrity()).problems).toEqual([]);
    await store.close();
    expect(indexRows(path.join(dir, SHARDED_CATALOG_FILE))).toBe(0);
    expect(indexRows(searchFile)).toBe(files);

    for (const spoil of [
      () => fs.writeFileSync(searchFile, Buffer.alloc(8192, 7)),
      () => {
        const db = new Database(searchFile);
        db.prepare("UPDATE search_info SET value = 'someone else' WHERE key = 'store_uid'").run();
        db.close();
      },
    ]) {
      spoil();
      store = await ShardedStore.open(dir);
      expect((await store.search({ query: 'jpg', limit: 50 })).hits.map((h) => h.file.id)).toEqual(expected);
      expect((await store.checkIntegrity()).problems).toEqual([]);
      await store.close();
    }
    store = await ShardedStore.open(dir);
  }, 120_000);

  it('reports lost rows and repairs them by indexing anew', async () => {
    await fill(12_000);
    await store.close();
    const db = new Database(path.join(dir, SEARCH_FILE));
    const some = db.prepare('SELECT rowid FROM files_fts LIMIT 5').pluck().all() as number[];
    db.transaction(() => some.forEach((id) => db.prepare('DELETE FROM files_fts WHERE rowid = ?').run(id)))();
    db.close();
    store = await ShardedStore.open(dir);
    const report = await store.checkIntegrity();
    expect(report.problems.join()).toMatch(/5 of \d+ files are not indexed/u);
    const repaired = await store.repair();
    expect(repaired.fullTextRebuilt).toBe(true);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  }, 120_000);

  it('backs the search file up with the rest, and the backup searches like the original', async () => {
    await fill(8_000);
    const expected = (await store.search({ query: 'rar OR flac', limit: 20 })).hits.map((h) => h.file.id);
    const target = path.join(path.dirname(dir), 'backup');
    await store.backup(target);
    const manifest = JSON.parse(fs.readFileSync(path.join(target, 'strata-backup.json'), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain(SEARCH_FILE);
    const copy = await ShardedStore.open(target);
    try {
      expect((await copy.search({ query: 'rar OR flac', limit: 20 })).hits.map((h) => h.file.id)).toEqual(expected);
      expect((await copy.checkIntegrity()).problems).toEqual([]);
    } finally {
      await copy.close();
    }
  }, 120_000);

  it('indexes at open what a kill between the catalog commit and its own left out', async () => {
    await store.close();
    const child = spawn(process.execPath, [await bundledHelper(HELPER), 'ingest', dir, '21'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, STRATA_CRASH_BEFORE_SEARCH_COMMIT: '3' },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGKILL');
    // The third batch was committed by the catalog, never acknowledged, and never indexed.
    expect(out.split('\n').filter((l) => l.startsWith('committed '))).toHaveLength(2);
    const catalog = new Database(path.join(dir, SHARDED_CATALOG_FILE), { readonly: true });
    const lastFile = catalog.prepare('SELECT id, name FROM files ORDER BY id DESC LIMIT 1').get() as { id: number; name: string };
    const files = catalog.prepare('SELECT count(*) FROM files').pluck().get() as number;
    catalog.close();
    expect(indexRows(path.join(dir, SEARCH_FILE))).toBeLessThan(files);

    store = await ShardedStore.open(dir);
    expect((await store.checkIntegrity()).problems).toEqual([]);
    const found = await store.search({ query: `"${lastFile.name.replaceAll('"', '')}"`, limit: 500 });
    expect(found.hits.map((h) => h.file.id)).toContain(lastFile.id);
  }, 120_000);
});
