/**
 * Every pair of engines this build has, both ways: a catalog with every kind of row is copied,
 * verified, and reads back the same through the store API; an interrupted copy resumes from
 * its journal to the same result, also when the target committed a batch the journal missed;
 * a copy that lost, changed or gained a row is refused, on every target and load path.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { libraryBatch, manyFilesBatch } from '../conformance/fixtures';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir, selectedEngines, type TestEngine } from '../conformance/test-engines';
import { TABLES, type CatalogStore, type Row, type TableLoader, type TableName, type TextBatch } from '../store';
import { copyStore, type MigrationProgress } from './copy-store';
import { MemoryJournal, type TableCheckpoint } from './migration-journal';

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

  // A target loader that alters the first segments batch on the way in, on whichever path the
  // copy takes (rows, or canonical text lines), so each engine's verification must see it.
  type Tamper = { rows: (rows: Row[]) => Row[]; lines: (lines: string[]) => string[] };
  const TAMPERS: Record<string, Tamper> = {
    'lost a row': { rows: (rows) => rows.slice(1), lines: (lines) => lines.slice(1) },
    'changed a value': {
      rows: (rows) => [{ ...rows[0]!, bytes: (rows[0]!.bytes as number) + 1 }, ...rows.slice(1)],
      lines: ([first, ...rest]) => {
        const fields = first!.split('\t');
        fields[2] = String(Number(fields[2]) + 1);
        return [fields.join('\t'), ...rest];
      },
    },
    'gained a row': {
      rows: (rows) => [...rows, { ...rows[0]!, number: 1_000_000 }],
      lines: (lines) => {
        const fields = lines[0]!.split('\t');
        fields[1] = '1000000';
        return [...lines, fields.join('\t')];
      },
    },
  };

  function tampered(loader: TableLoader, tamper: Tamper): TableLoader {
    let done = false;
    const once = <T>(table: string, value: T, change: (v: T) => T): T => {
      if (table !== 'segments' || done) return value;
      done = true;
      return change(value);
    };
    const loadText = loader.loadText?.bind(loader);
    return {
      load: (table, rows) => loader.load(table, once(table, rows, tamper.rows)),
      ...(loadText && loader.textTables
        ? {
            textTables: loader.textTables,
            loadText: (table: TableName, batch: TextBatch) => {
              const lines = once(table, batch.text.toString('utf8').split('\n').slice(0, -1), tamper.lines);
              return loadText(table, { ...batch, text: Buffer.from(lines.map((l) => `${l}\n`).join('')), rows: lines.length });
            },
          }
        : {}),
      ...(loader.tableLoaded ? { tableLoaded: loader.tableLoaded.bind(loader) } : {}),
      finish: () => loader.finish(),
    };
  }

  for (const to of engines) {
    for (const [what, tamper] of Object.entries(TAMPERS)) {
      it(`refuses a copy into ${to.name} that ${what}`, async () => {
        const source = await openEngine(engines[0]!, 'src');
        await seed(source);
        const target = await openEngine(to, 'dst');
        const real = target.openLoader!.bind(target);
        target.openLoader = async (): Promise<TableLoader> => tampered(await real(), tamper);
        const error = await expectCode(copyStore(source, target, { journal: new MemoryJournal() }), 'internal');
        expect(error.message).toContain('segments');
      }, 120_000);
    }

    it(`resumes into ${to.name} when a batch was committed but its checkpoint was not saved`, async () => {
      const source = await openEngine(engines[0]!, 'src');
      await seed(source);
      const target = await openEngine(to, 'dst');
      const journal = new MemoryJournal();
      const stop = new AbortController();
      let saves = 0;
      // A kill between a batch's commit and its checkpoint: from the fourth segments batch on,
      // checkpoints are lost, so the target holds rows the journal does not know about.
      const forgetful = {
        resumed: false,
        checkpoint: (table: TableName) => journal.checkpoint(table),
        save: (point: TableCheckpoint) => {
          if (point.table === 'segments' && ++saves > 3) {
            stop.abort();
            return;
          }
          journal.save(point);
        },
      };
      await expectCode(copyStore(source, target, { journal: forgetful, batchSize: 5_000, signal: stop.signal }), 'cancelled');
      const checkpointed = journal.checkpoint('segments').rows;
      expect(checkpointed).toBeGreaterThan(0);
      // The case at hand: the target holds segments past the last checkpoint.
      expect((await tableRows(target)).segments!.length).toBeGreaterThan(checkpointed);
      const result = await copyStore(source, target, { journal, batchSize: 5_000 });
      expect(result.verification.every((v) => v.ok)).toBe(true);
      expect(await tableRows(target)).toEqual(await tableRows(source));
      expect((await target.checkIntegrity()).problems).toEqual([]);
    }, 120_000);
  }
});
