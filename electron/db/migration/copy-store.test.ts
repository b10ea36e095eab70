/**
 * Every pair of engines this build has, both ways: a catalog with every kind of row is copied,
 * verified, and reads back the same through the store API; an interrupted copy resumes from
 * its journal to the same result; a copy that lost a row is refused.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { libraryBatch, manyFilesBatch } from '../conformance/fixtures';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir, selectedEngines, type TestEngine } from '../conformance/test-engines';
import { TABLES, type CatalogStore, type Row, type TableLoader } from '../store';
import { copyStore, type MigrationProgress } from './copy-store';
import { MemoryJournal } from './migration-journal';

async function seed(store: CatalogStore): Promise<void> {
  const library = await store.createCollection({ name: 'Library', source: 'nzb' });
  await store.ingest(library.id, [libraryBatch()]);
  const bulk = await store.createCollection({ name: 'Bulk', source: 'local', rootPath: '/data/bulk' });
  await store.ingest(bulk.id, generateCatalog({ segments: 30_000, seed: 3, batchSegments: 5_000 }));
  await store.ingest(bulk.id, [manyFilesBatch(30, 'Extra')]);
  // JSON with several keys, written out of order: engines store it differently (jsonb sorts
  // keys its own way) and must still stream and checksum it alike.
  await store.ingest(library.id, [
    {
      sources: [{ fileName: 'Meta.nzb', dupeKey: 'meta-key', meta: { title: ['T'], category: ['C'], a: ['1', '2'] }, passwords: ['p'], tags: ['z', 'a'] }],
      files: [{ path: 'Meta/file.bin', size: 10, sourceKey: 'meta-key', metadata: { zeta: 1, alpha: { b: 2, a: [3, { y: 1, x: 2 }] }, mid: 'm' }, segments: [{ number: 1, bytes: 10 }] }],
    },
  ]);
  const gone = await store.createCollection({ name: 'Gone', source: 'nzb' });
  await store.ingest(gone.id, [manyFilesBatch(5)]);
  await store.deleteCollection(gone.id);
  const file = (await store.listFiles({ collectionId: library.id, limit: 1 })).items[0]!;
  await store.updateSegments([{ fileId: file.id, number: 1, state: 'missing' }]);
}

async function tableRows(store: CatalogStore): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TABLES) {
    out[table] = [];
    for await (const batch of store.streamTable(table, { batchSize: 10_000 })) out[table].push(...batch.rows);
  }
  return out;
}

const engines = selectedEngines();
const pairs: [TestEngine, TestEngine][] = engines.flatMap((a) => engines.map((b) => [a, b] as [TestEngine, TestEngine]));

describe('copying a catalog between engines', () => {
  const dirs: string[] = [];
  const open: CatalogStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function openEngine(engine: TestEngine, label: string): Promise<CatalogStore> {
    const dir = makeTempDir(`copy-${label}`);
    dirs.push(dir);
    const store = await engine.open(dir);
    open.push(store);
    return store;
  }

  for (const [from, to] of pairs) {
    it(`${from.name} -> ${to.name}: same rows, same answers, verified`, async () => {
      const source = await openEngine(from, 'src');
      const target = await openEngine(to, 'dst');
      await seed(source);
      if (!target.openLoader) {
        await expectCode(copyStore(source, target, { journal: new MemoryJournal() }), 'invalid-argument');
        return;
      }
      const phases = new Set<string>();
      const result = await copyStore(source, target, { journal: new MemoryJournal(), batchSize: 3_000, onProgress: (p) => phases.add(p.phase) });
      expect([...phases]).toEqual(['copy', 'index', 'verify', 'done']);
      expect(result.verification.every((v) => v.ok)).toBe(true);
      expect(await tableRows(target)).toEqual(await tableRows(source));
      const [a, b] = [await source.stats(), await target.stats()];
      expect({ ...b, dbBytes: 0, location: '', tier: 0, engine: '' }).toEqual({ ...a, dbBytes: 0, location: '', tier: 0, engine: '' });
      expect((await target.search({ query: 'arrival' })).hits.map((h) => h.file.id)).toEqual((await source.search({ query: 'arrival' })).hits.map((h) => h.file.id));
      const library = (await target.findCollectionByName('Library'))!;
      const page = await target.listFiles({ collectionId: library.id, sort: 'size', limit: 50 });
      expect(page).toEqual(await source.listFiles({ collectionId: library.id, sort: 'size', limit: 50 }));
      const file = page.items[0]!;
      expect(await target.getSegments({ fileId: file.id })).toEqual(await source.getSegments({ fileId: file.id }));
      // The copy is a working store: it takes new files after the copied ones.
      await target.ingest(library.id, [{ files: [{ path: 'after/migration.bin', size: 5, segments: [{ number: 1, bytes: 5 }] }] }]);
      expect((await target.checkIntegrity()).problems).toEqual([]);
    }, 120_000);
  }

  it('resumes an interrupted copy from its journal to the same result', async () => {
    const [engine] = engines;
    const source = await openEngine(engine!, 'src');
    await seed(source);
    const target = await openEngine(engines[engines.length - 1]!, 'dst');
    const journal = new MemoryJournal();
    const stop = new AbortController();
    let batches = 0;
    await expectCode(
      copyStore(source, target, {
        journal,
        batchSize: 2_000,
        signal: stop.signal,
        progressEveryMs: 0,
        onProgress: (p: MigrationProgress) => {
          if (p.table === 'segments' && ++batches === 5) stop.abort();
        },
      }),
      'cancelled',
    );
    expect(journal.checkpoint('segments').rows).toBeGreaterThan(0);
    expect(journal.checkpoint('files').done).toBe(true);
    const result = await copyStore(source, target, { journal, batchSize: 2_000 });
    expect(result.verification.every((v) => v.ok)).toBe(true);
    expect(await tableRows(target)).toEqual(await tableRows(source));
  }, 120_000);

  it('refuses a copy that lost a row', async () => {
    const [engine] = engines;
    const source = await openEngine(engine!, 'src');
    await seed(source);
    const target = await openEngine(engine!, 'dst');
    const real = target.openLoader!.bind(target);
    // A target whose loader drops one segment on the way in.
    target.openLoader = async (): Promise<TableLoader> => {
      const loader = await real();
      let dropped = false;
      return {
        load: (table, rows) => {
          if (table === 'segments' && !dropped) {
            dropped = true;
            return loader.load(table, rows.slice(1));
          }
          return loader.load(table, rows);
        },
        finish: () => loader.finish(),
      };
    };
    const error = await expectCode(copyStore(source, target, { journal: new MemoryJournal() }), 'internal');
    expect(error.message).toContain('segments');
  }, 120_000);
});
