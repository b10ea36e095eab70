/**
 * The store API conformance suite: every engine runs these cases unchanged
 * (ENGINES=sqlite,... selects). Expected values come from the inputs, never from the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileEntry } from '../../../shared/domain';
import type { CatalogStore, FileSort, IngestBatch, SortDirection } from '../store';
import { TABLES } from '../store';
import { TABLE_COLUMNS } from '../migration/rows/table-columns';
import { libraryBatch, manyFilesBatch, seg, segmentsOf } from './fixtures';
import { makeTempDir, selectedEngines } from './test-engines';
import { expectCode } from './expect-code';


async function allFiles(
  store: CatalogStore,
  q: { collectionId: number; folderId?: number | null; sort?: FileSort; direction?: SortDirection; state?: FileEntry['state'] },
  limit = 7,
): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await store.listFiles({ ...q, limit, cursor });
    out.push(...page.items);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

/** ASCII case-insensitive order, the documented name order of every engine. */
const foldAscii = (s: string): string => s.replace(/[A-Z]/gu, (c) => c.toLowerCase());
const compareText = (a: string, b: string): number => {
  const x = Buffer.from(foldAscii(a));
  const y = Buffer.from(foldAscii(b));
  return Buffer.compare(x, y);
};

function expectedOrder(files: FileEntry[], sort: FileSort, direction: SortDirection): number[] {
  const stateRank = { indexed: 0, partial: 1, uploaded: 2, missing: 3 } as const;
  const key = (f: FileEntry): (number | string)[] => {
    switch (sort) {
      case 'name':
        return [f.name, f.id];
      case 'size':
        return [f.size, f.id];
      case 'segments':
        return [f.segmentCount, f.id];
      case 'date':
        return [f.mtime ?? f.postedAt ?? 0, f.id];
      case 'state':
        return [stateRank[f.state], f.name, f.id];
    }
  };
  const cmp = (a: FileEntry, b: FileEntry): number => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const x = ka[i] as number | string;
      const y = kb[i] as number | string;
      const c = typeof x === 'string' ? compareText(x, y as string) : x - (y as number);
      if (c !== 0) return c;
    }
    return 0;
  };
  const sorted = [...files].sort(cmp);
  if (direction === 'desc') sorted.reverse();
  return sorted.map((f) => f.id);
}

for (const engine of selectedEngines()) {
  describe(`store conformance: ${engine.name}`, () => {
    let dir: string;
    let store: CatalogStore;

    beforeEach(async () => {
      dir = makeTempDir(`conf-${engine.name}`);
      store = await engine.open(dir);
    });

    afterEach(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function library(): Promise<number> {
      const c = await store.createCollection({ name: 'Library', source: 'nzb' });
      await store.ingest(c.id, [libraryBatch()]);
      return c.id;
    }

    describe('collections', () => {
      it('creates, lists in name order, renames and deletes', async () => {
        const b = await store.createCollection({ name: 'beta', source: 'local', rootPath: 'D:\\Backups' });
        const a = await store.createCollection({ name: 'Alpha', source: 'nzb' });
        expect(b).toMatchObject({ name: 'beta', source: 'local', rootPath: 'D:\\Backups', fileCount: 0, segmentCount: 0 });
        expect(b.uid).toMatch(/^[0-9a-f-]{36}$/u);
        expect((await store.listCollections()).map((c) => c.name)).toEqual(['Alpha', 'beta']);
        const renamed = await store.renameCollection(a.id, 'Gamma');
        expect(renamed.name).toBe('Gamma');
        expect((await store.findCollectionByName('gamma'))?.id).toBe(a.id);
        await store.deleteCollection(b.id);
        expect((await store.listCollections()).map((c) => c.name)).toEqual(['Gamma']);
        await expectCode(store.getCollection(b.id), 'not-found');
      });

      it('refuses duplicate names case-insensitively, and bad names', async () => {
        await store.createCollection({ name: 'Movies', source: 'nzb' });
        await expectCode(store.createCollection({ name: 'movies', source: 'nzb' }), 'conflict');
        const other = await store.createCollection({ name: 'Other', source: 'nzb' });
        await expectCode(store.renameCollection(other.id, 'MOVIES'), 'conflict');
        await expectCode(store.createCollection({ name: '   ', source: 'nzb' }), 'invalid-argument');
        await expectCode(store.createCollection({ name: 'x'.repeat(201), source: 'nzb' }), 'invalid-argument');
        await expectCode(store.createCollection({ name: 'ok', source: 'ftp' as never }), 'invalid-argument');
        await expectCode(store.getCollection(-1), 'invalid-argument');
        await expectCode(store.getCollection(999_999), 'not-found');
      });

      it('frees the name of a deleted collection', async () => {
        const c = await store.createCollection({ name: 'Temp', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(30)]);
        await store.deleteCollection(c.id);
        const again = await store.createCollection({ name: 'Temp', source: 'nzb' });
        expect(again.fileCount).toBe(0);
        const stats = await store.stats();
        expect(stats).toMatchObject({ collections: 1, files: 0, segments: 0, bytes: 0 });
        expect((await store.checkIntegrity()).ok).toBe(true);
      });
    });

    describe('ingest', () => {
      it('keeps collection, folder and file counters equal to the rows', async () => {
        const id = await library();
        const batch = libraryBatch();
        const segments = batch.files.reduce((n, f) => n + f.segments.length, 0);
        const bytes = batch.files.reduce((n, f) => n + f.segments.reduce((m, s) => m + s.bytes, 0), 0);
        const c = await store.getCollection(id);
        expect(c).toMatchObject({ fileCount: 6, segmentCount: segments, bytes, folderCount: 4 });
        // dune 4 + bts 1 + br 2 uploaded; readme 1 missing row + 1 missing number on the flac.
        expect(c.uploadedSegments).toBe(7);
        expect(c.missingSegments).toBe(2);
        const top = await store.listFolders({ collectionId: id });
        expect(top.items.map((f) => f.name)).toEqual(['Movies', 'Music']);
        const movies = top.items[0];
        expect(movies).toMatchObject({ fileCount: 2, bytes: 5_000_000, folderCount: 1 });
        const stats = await store.stats();
        expect(stats).toMatchObject({ collections: 1, folders: 4, files: 6, segments, bytes });
        expect(stats.dbBytes).toBeGreaterThan(0);
        expect((await store.checkIntegrity()).ok).toBe(true);
      });

      it('derives each file state from its segments', async () => {
        const id = await library();
        const files = await allFiles(store, { collectionId: id });
        const state = Object.fromEntries(files.map((f) => [f.relPath, f.state]));
        expect(state).toEqual({
          'Movies/Dune.Part.Two.2024.2160p.mkv': 'uploaded',
          'Movies/arrival.2016.1080p.mkv': 'indexed',
          'Movies/Extras/behind the scenes.mp4': 'partial',
          'Music/Blade Runner OST/01 - Main Titles.flac': 'partial',
          'readme.txt': 'missing',
          'Zebra notes.txt': 'indexed',
        });
      });

      it('round-trips a file with its segments, groups, metadata and source', async () => {
        const id = await library();
        const [dune] = (await store.search({ query: 'dune 2160p', collectionId: id })).hits.map((h) => h.file);
        expect(dune).toBeDefined();
        const detail = await store.getFile(dune!.id);
        expect(detail).toMatchObject({
          name: 'Dune.Part.Two.2024.2160p.mkv',
          relPath: 'Movies/Dune.Part.Two.2024.2160p.mkv',
          size: 3_000_000,
          mtime: 1_700_000_000_000,
          segmentCount: 4,
          uploadedCount: 4,
          groups: ['alt.binaries.hdtv', 'alt.binaries.movies'],
          metadata: { origin: 'test' },
        });
        const source = await store.getNzbSource(id, { dupeKey: 'dune-key' });
        expect(source).toMatchObject({ fileName: 'Dune.Part.Two.nzb', title: 'Dune Part Two', passwords: ['spice'], tags: ['sci-fi'], meta: { x: ['1', '2'] }, complete: true, contentHash: null });
        expect(detail.nzbSourceId).toBe(source!.id);
        const segments = await store.getSegments({ fileId: dune!.id });
        expect(segments.map((s) => [s.number, s.bytes, s.messageId, s.state])).toEqual([
          [1, 768_000, 'dune.1@test', 'uploaded'],
          [2, 768_000, 'dune.2@test', 'uploaded'],
          [3, 768_000, 'dune.3@test', 'uploaded'],
          [4, 256_000, 'dune.4@test', 'uploaded'],
        ]);
        expect((await store.getSegments({ fileId: dune!.id, afterNumber: 2, limit: 1 })).map((s) => s.number)).toEqual([3]);
        const zebra = (await store.search({ query: 'zebra' })).hits[0]!.file;
        expect((await store.getSegments({ fileId: zebra.id }))[0]).toMatchObject({ hash: '00ff10aa20bb30cc', messageId: null, state: 'indexed' });
        await expectCode(store.getFile(987_654), 'not-found');
        await expectCode(store.getSegments({ fileId: 987_654 }), 'not-found');
      });

      it('refuses an existing path by default, and can skip or replace it', async () => {
        const c = await store.createCollection({ name: 'C', source: 'local' });
        const one = (size: number, count: number): IngestBatch => ({ files: [{ path: 'a/b.bin', size, segments: segmentsOf(count, 100) }] });
        await store.ingest(c.id, [one(300, 3)]);
        await expectCode(store.ingest(c.id, [one(500, 5)]), 'conflict');
        const skipped = await store.ingest(c.id, [one(500, 5)], { onExisting: 'skip' });
        expect(skipped).toMatchObject({ files: 0, skippedFiles: 1, segments: 0 });
        expect((await store.getCollection(c.id)).segmentCount).toBe(3);
        const replaced = await store.ingest(c.id, [one(500, 5)], { onExisting: 'replace' });
        expect(replaced).toMatchObject({ files: 1, replacedFiles: 1, segments: 5 });
        const after = await store.getCollection(c.id);
        expect(after).toMatchObject({ fileCount: 1, segmentCount: 5 });
        const [file] = (await store.listFiles({ collectionId: c.id })).items;
        expect(file).toMatchObject({ size: 500, segmentCount: 5 });
        expect((await store.checkIntegrity()).ok).toBe(true);
      });

      it('commits whole batches: a bad batch leaves the earlier ones and nothing of itself', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const good: IngestBatch = { files: [{ path: 'ok/1.bin', size: 10, segments: segmentsOf(2, 5) }] };
        const bad: IngestBatch = {
          files: [
            { path: 'bad/first.bin', size: 10, segments: segmentsOf(3, 5) },
            { path: 'bad/second.bin', size: 10, segments: [seg(1, 5), seg(1, 5)] },
          ],
        };
        await expectCode(store.ingest(c.id, [good, bad]), 'invalid-argument');
        const after = await store.getCollection(c.id);
        expect(after).toMatchObject({ fileCount: 1, segmentCount: 2, folderCount: 1 });
        expect((await store.listFolders({ collectionId: c.id })).items.map((f) => f.name)).toEqual(['ok']);
        expect((await store.checkIntegrity()).ok).toBe(true);
        // The writer forgot the rolled-back folder: a later batch can create it for real.
        await store.ingest(c.id, [{ files: [{ path: 'bad/first.bin', size: 10, segments: segmentsOf(1, 5) }] }]);
        expect((await store.listFolders({ collectionId: c.id })).items.map((f) => f.name)).toEqual(['bad', 'ok']);
      });

      it('stops between batches when cancelled, keeping what was committed', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const controller = new AbortController();
        let seen = 0;
        function* batches(): Generator<IngestBatch> {
          for (let i = 0; i < 10; i++) yield { files: [{ path: `f${i}.bin`, size: 1, segments: [seg(1, 1)] }] };
        }
        const error = await expectCode(
          store.ingest(c.id, batches(), {
            signal: controller.signal,
            onProgress: (p) => {
              seen = p.files;
              if (p.batches === 3) controller.abort();
            },
          }),
          'cancelled',
        );
        expect(seen).toBe(3);
        expect(error.details).toMatchObject({ files: 3 });
        expect((await store.getCollection(c.id)).fileCount).toBe(3);
      });

      it('rejects malformed files with typed errors', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const bad = async (file: unknown) =>
          expectCode(store.ingest(c.id, [{ files: [file as IngestBatch['files'][number]] }]), 'invalid-argument');
        await bad({ path: '', size: 1, segments: [] });
        await bad({ path: '/abs.bin', size: 1, segments: [] });
        await bad({ path: 'a/../b.bin', size: 1, segments: [] });
        await bad({ path: 'a//b.bin', size: 1, segments: [] });
        await bad({ path: 'x.bin', size: -1, segments: [] });
        await bad({ path: 'x.bin', size: 1, segments: [{ number: 0, bytes: 1 }] });
        await bad({ path: 'x.bin', size: 1, segments: [{ number: 1, bytes: 1.5 }] });
        await bad({ path: 'x.bin', size: 1, segments: [{ number: 1, bytes: 1, hash: 'XYZ' }] });
        await bad({ path: 'x.bin', size: 1, segments: [{ number: 1, bytes: 1, state: 'lost' }] });
        await bad({ path: 'x.bin', size: 1, segments: [{ number: 1, bytes: 1 }], sourceKey: 'nope' });
        await expectCode(store.ingest(999_999, [manyFilesBatch(1)]), 'not-found');
        expect((await store.getCollection(c.id)).fileCount).toBe(0);
      });

      it('keeps its data across close and reopen', async () => {
        const id = await library();
        const before = await store.stats();
        await store.close();
        store = await engine.open(dir);
        const after = await store.stats();
        expect({ ...after, dbBytes: 0 }).toEqual({ ...before, dbBytes: 0 });
        expect((await store.getCollection(id)).fileCount).toBe(6);
      });
    });

    describe('browse', () => {
      it('pages through every sort order and direction in the documented order, without gaps or repeats', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(61)]);
        const [folder] = (await store.listFolders({ collectionId: c.id })).items;
        const everything = await allFiles(store, { collectionId: c.id, folderId: folder!.id }, 1000);
        expect(everything).toHaveLength(61);
        for (const sort of ['name', 'size', 'segments', 'date', 'state'] as FileSort[]) {
          for (const direction of ['asc', 'desc'] as SortDirection[]) {
            const paged = await allFiles(store, { collectionId: c.id, folderId: folder!.id, sort, direction });
            expect(paged.map((f) => f.id), `${sort} ${direction}`).toEqual(expectedOrder(everything, sort, direction));
            const whole = await allFiles(store, { collectionId: c.id, sort, direction }, 11);
            expect(whole.map((f) => f.id), `collection ${sort} ${direction}`).toEqual(expectedOrder(everything, sort, direction));
          }
        }
      });

      it('seeks to a row position in every sort order and direction: the walked list from there, and its cursor goes on', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(61)]);
        const [folder] = (await store.listFolders({ collectionId: c.id })).items;
        for (const sort of ['name', 'size', 'segments', 'date', 'state'] as FileSort[]) {
          for (const direction of ['asc', 'desc'] as SortDirection[]) {
            for (const folderId of [folder!.id, null]) {
              const walked = (await allFiles(store, { collectionId: c.id, folderId, sort, direction }, 1000)).map((f) => f.id);
              for (const offset of [0, 1, 29, 58]) {
                const what = `${sort} ${direction} ${folderId === null ? 'collection' : 'folder'} at ${offset}`;
                const page = await store.listFiles({ collectionId: c.id, folderId, sort, direction, limit: 4, offset });
                expect(page.items.map((f) => f.id), what).toEqual(walked.slice(offset, offset + 4));
                expect(page.nextCursor !== null, what).toBe(offset + 4 < walked.length);
                if (page.nextCursor) {
                  const next = await store.listFiles({ collectionId: c.id, folderId, sort, direction, limit: 4, cursor: page.nextCursor });
                  expect(next.items.map((f) => f.id), `${what}, next page`).toEqual(walked.slice(offset + 4, offset + 8));
                }
              }
              expect((await store.listFiles({ collectionId: c.id, folderId, sort, direction, offset: 61 })).items).toEqual([]);
            }
          }
        }
      });

      it('seeks within a state filter', async () => {
        const id = await library();
        const partial = await allFiles(store, { collectionId: id, state: 'partial' });
        expect(partial).toHaveLength(2);
        const second = await store.listFiles({ collectionId: id, state: 'partial', offset: 1 });
        expect(second.items.map((f) => f.id)).toEqual([partial[1]!.id]);
        expect(second.nextCursor).toBeNull();
      });

      it('refuses a seek with a cursor, and positions out of range', async () => {
        const id = await library();
        const page = await store.listFiles({ collectionId: id, limit: 2 });
        expect(page.nextCursor).not.toBeNull();
        await expectCode(store.listFiles({ collectionId: id, limit: 2, cursor: page.nextCursor, offset: 2 }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, offset: -1 }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, offset: 1.5 }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, offset: 100_000_001 }), 'invalid-argument');
      });

      it('filters by state, in a folder and across the collection', async () => {
        const id = await library();
        const partial = await allFiles(store, { collectionId: id, state: 'partial' });
        expect(partial.map((f) => f.name).sort()).toEqual(['01 - Main Titles.flac', 'behind the scenes.mp4']);
        const movies = (await store.listFolders({ collectionId: id })).items.find((f) => f.name === 'Movies')!;
        const indexed = await allFiles(store, { collectionId: id, folderId: movies.id, state: 'indexed', sort: 'size' });
        expect(indexed.map((f) => f.name)).toEqual(['arrival.2016.1080p.mkv']);
      });

      it('lists folders with keyset pages', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'alpha2'];
        await store.ingest(c.id, [{ files: names.map((n) => ({ path: `${n}/f.bin`, size: 1, segments: [seg(1, 1)] })) }]);
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page = await store.listFolders({ collectionId: c.id, limit: 4, cursor });
          seen.push(...page.items.map((f) => f.name));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(['Alpha', 'alpha2', 'Bravo', 'charlie', 'delta', 'echo']);
        const sub = (await store.listFolders({ collectionId: c.id })).items[0]!;
        expect((await store.listFolders({ collectionId: c.id, parentId: sub.id })).items).toEqual([]);
      });

      it('refuses cursors from another listing, unknown folders and bad sorts', async () => {
        const id = await library();
        const page = await store.listFiles({ collectionId: id, sort: 'size', limit: 2 });
        expect(page.nextCursor).not.toBeNull();
        await expectCode(store.listFiles({ collectionId: id, sort: 'name', limit: 2, cursor: page.nextCursor }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, cursor: 'not-a-cursor' }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, sort: 'colour' as FileSort }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, limit: 0 }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, limit: 5000 }), 'invalid-argument');
        await expectCode(store.listFiles({ collectionId: id, folderId: 999_999 }), 'not-found');
        const other = await store.createCollection({ name: 'Other', source: 'nzb' });
        const movies = (await store.listFolders({ collectionId: id })).items[0]!;
        await expectCode(store.listFiles({ collectionId: other.id, folderId: movies.id }), 'not-found');
      });
    });

    describe('segment updates', () => {
      it('updates state and message-ids in bulk, moving file and collection counters', async () => {
        const id = await library();
        const arrival = (await store.search({ query: 'arrival' })).hits[0]!.file;
        const result = await store.updateSegments([
          { fileId: arrival.id, number: 1, messageId: 'a1@up' },
          { fileId: arrival.id, number: 2, messageId: 'a2@up', uploadedAt: 1_700_000_000_000 },
          { fileId: arrival.id, number: 99, messageId: 'nope@up' },
        ]);
        expect(result).toEqual({ updated: 2, notFound: 1 });
        let file = await store.getFile(arrival.id);
        expect(file).toMatchObject({ uploadedCount: 2, state: 'partial' });
        await store.updateSegments([{ fileId: arrival.id, number: 3, messageId: 'a3@up' }]);
        file = await store.getFile(arrival.id);
        expect(file).toMatchObject({ uploadedCount: 3, state: 'uploaded' });
        const segs = await store.getSegments({ fileId: arrival.id });
        expect(segs.map((s) => [s.messageId, s.state, s.uploadedAt])).toEqual([
          ['a1@up', 'uploaded', null],
          ['a2@up', 'uploaded', 1_700_000_000_000],
          ['a3@up', 'uploaded', null],
        ]);
        await store.updateSegments([{ fileId: arrival.id, number: 1, state: 'missing' }]);
        file = await store.getFile(arrival.id);
        expect(file).toMatchObject({ uploadedCount: 2, missingCount: 1, state: 'partial' });
        expect((await store.getCollection(id)).uploadedSegments).toBe(7 + 2);
        expect((await store.checkIntegrity()).ok).toBe(true);
      });

      it('validates updates before changing anything', async () => {
        const id = await library();
        const [file] = (await store.listFiles({ collectionId: id })).items;
        await expectCode(store.updateSegments([{ fileId: file!.id, number: 1, state: 'gone' as never }]), 'invalid-argument');
        await expectCode(store.updateSegments([{ fileId: file!.id, number: 1, messageId: '' }]), 'invalid-argument');
        await expectCode(store.updateSegments([{ fileId: 0, number: 1 }]), 'invalid-argument');
        expect((await store.checkIntegrity()).ok).toBe(true);
      });
    });

    describe('search', () => {
      const names = async (query: string, collectionId?: number): Promise<string[]> =>
        (await store.search({ query, collectionId: collectionId ?? null })).hits.map((h) => h.file.name);

      it('matches words, prefixes, phrases and AND/OR/NOT', async () => {
        await library();
        expect(await names('arrival')).toEqual(['arrival.2016.1080p.mkv']);
        expect(await names('ARRIV*')).toEqual(['arrival.2016.1080p.mkv']);
        expect((await names('"main titles"')).sort()).toEqual(['01 - Main Titles.flac']);
        expect(await names('"titles main"')).toEqual([]);
        expect((await names('dune OR vangelis')).sort()).toEqual(['01 - Main Titles.flac', 'Dune.Part.Two.2024.2160p.mkv', 'behind the scenes.mp4']);
        expect(await names('dune -featurette')).toEqual(['Dune.Part.Two.2024.2160p.mkv']);
        expect(await names('dune NOT featurette')).toEqual(['Dune.Part.Two.2024.2160p.mkv']);
        expect(await names('heptapod arrival')).toEqual(['arrival.2016.1080p.mkv']);
        expect(await names('heptapod dune')).toEqual([]);
        // Folder path words are searchable too.
        expect(await names('extras')).toEqual(['behind the scenes.mp4']);
        // Punctuation inside a word is a phrase of its parts, never a syntax error.
        expect(await names('Dune.Part.Two')).toEqual(['Dune.Part.Two.2024.2160p.mkv']);
        expect(await names('"unbalanced')).toEqual([]);
        // Control characters separate words (a NUL once ended FTS5's string and failed the search).
        expect(await names('heptapod\u0000arrival\t')).toEqual(['arrival.2016.1080p.mkv']);
      });

      it('ranks a name hit above a subject-only hit', async () => {
        await library();
        const hits = await names('dune');
        expect(hits).toEqual(['Dune.Part.Two.2024.2160p.mkv', 'behind the scenes.mp4']);
        const scored = (await store.search({ query: 'dune' })).hits;
        expect(scored[0]!.score).toBeGreaterThan(scored[1]!.score);
      });

      it('paginates with offsets and filters by collection', async () => {
        const a = await store.createCollection({ name: 'A', source: 'nzb' });
        const b = await store.createCollection({ name: 'B', source: 'nzb' });
        const batch = (n: number): IngestBatch => ({
          files: Array.from({ length: n }, (_, i) => ({ path: `report ${i}.pdf`, size: 1, segments: [seg(1, 1)] })),
        });
        await store.ingest(a.id, [batch(12)]);
        await store.ingest(b.id, [batch(3)]);
        const seen = new Set<number>();
        let offset: number | null = 0;
        while (offset !== null) {
          const page = await store.search({ query: 'report', limit: 5, offset });
          for (const h of page.hits) seen.add(h.file.id);
          offset = page.nextOffset;
        }
        expect(seen.size).toBe(15);
        expect(await names('report', b.id)).toHaveLength(3);
      });

      it('filters by state in the query, so a page holds only, and fully, files in that state', async () => {
        const c = await store.createCollection({ name: 'States', source: 'nzb' });
        // By their segments: every one posted (uploaded), none (indexed), one of two (partial),
        // every one missing (missing). Uploaded files are the many, so they crowd the ranking.
        const files: IngestBatch['files'] = [];
        for (let i = 0; i < 9; i++) files.push({ path: `clip ${i} uploaded.mkv`, size: 10, segments: segmentsOf(2, 500, `up${i}`) });
        for (let i = 0; i < 4; i++) files.push({ path: `clip ${i} indexed.mkv`, size: 10, segments: segmentsOf(2, 500) });
        files.push({ path: 'clip partial.mkv', size: 10, segments: [seg(1, 500, { messageId: 'half.1@test' }), seg(2, 500)] });
        files.push({ path: 'clip missing.mkv', size: 10, segments: [seg(1, 500, { state: 'missing' })] });
        await store.ingest(c.id, [{ files }]);
        const search = (state: FileEntry['state'] | null, limit = 50, offset = 0) => store.search({ query: 'clip', collectionId: c.id, state, limit, offset });

        expect((await search(null)).hits).toHaveLength(15);
        const indexed = await search('indexed', 3);
        expect(indexed.hits.map((h) => h.file.state)).toEqual(['indexed', 'indexed', 'indexed']);
        expect(indexed.nextOffset).toBe(3);
        const rest = await search('indexed', 3, 3);
        expect(rest.hits.map((h) => h.file.name)).toHaveLength(1);
        expect(rest.nextOffset).toBeNull();
        expect(new Set([...indexed.hits, ...rest.hits].map((h) => h.file.name))).toEqual(new Set([0, 1, 2, 3].map((i) => `clip ${i} indexed.mkv`)));
        expect((await search('partial')).hits.map((h) => h.file.name)).toEqual(['clip partial.mkv']);
        expect((await search('missing')).hits.map((h) => h.file.name)).toEqual(['clip missing.mkv']);
        expect((await search('uploaded')).hits).toHaveLength(9);
        // Without a collection too, and an unknown state is refused like any other bad argument.
        expect((await store.search({ query: 'clip', state: 'missing' })).hits.map((h) => h.file.name)).toEqual(['clip missing.mkv']);
        await expectCode(store.search({ query: 'clip', state: 'lost' as FileEntry['state'] }), 'invalid-argument');
      });

      it('refuses searches that cannot match anything', async () => {
        await expectCode(store.search({ query: '' }), 'invalid-argument');
        await expectCode(store.search({ query: '-cam' }), 'invalid-argument');
        await expectCode(store.search({ query: '*** ---' }), 'invalid-argument');
        await expectCode(store.search({ query: '\u0000\u0007' }), 'invalid-argument');
        await expectCode(store.search({ query: 'x'.repeat(501) }), 'invalid-argument');
        await expectCode(store.search({ query: 'ok', limit: 10_000 }), 'invalid-argument');
      });

      it('forgets deleted collections and replaced files', async () => {
        const id = await library();
        await store.deleteCollection(id);
        expect(await names('dune')).toEqual([]);
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [{ files: [{ path: 'x.bin', size: 1, subject: 'oldword', segments: [seg(1, 1)] }] }]);
        await store.ingest(c.id, [{ files: [{ path: 'x.bin', size: 1, subject: 'newword', segments: [seg(1, 1)] }] }], { onExisting: 'replace' });
        expect(await names('oldword')).toEqual([]);
        expect(await names('newword')).toEqual(['x.bin']);
      });
    });

    describe('NZB sources, paths and names', () => {
      it('creates a pending source, finishes it under its final key, and refuses a second one', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const batch = (key: string, folder: string): IngestBatch => ({
          sources: [{ fileName: `${folder}.nzb`, dupeKey: key, contentHash: `hash-${folder}`, pending: true, passwords: ['pw'] }],
          files: [{ path: `${folder}/a.bin`, size: 3, sourceKey: key, segments: [seg(1, 3, { messageId: `${folder}@x` })] }],
        });
        const first = await store.ingest(c.id, [batch('pending:1', 'One')]);
        const id = first.sourceIds['pending:1']!;
        expect(id).toBeGreaterThan(0);
        // Pending sources are invisible to lookups until finished.
        expect(await store.getNzbSource(c.id, { contentHash: 'hash-One' })).toBeNull();
        const done = await store.finishNzbSource(id, { dupeKey: 'mid:one' });
        expect(done).toMatchObject({ id, dupeKey: 'mid:one', complete: true, contentHash: 'hash-One', passwords: ['pw'] });
        expect((await store.getNzbSource(c.id, { contentHash: 'hash-One' }))?.id).toBe(id);
        expect((await store.getNzbSource(c.id, { id }))?.fileName).toBe('One.nzb');
        const second = await store.ingest(c.id, [batch('pending:2', 'Two')]);
        const error = await expectCode(store.finishNzbSource(second.sourceIds['pending:2']!, { dupeKey: 'mid:one' }), 'conflict');
        expect(error.details).toMatchObject({ existingId: id });
      });

      it('removes a source with its files, counters and emptied folders', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(5, 'Keep')]);
        const before = await store.getCollection(c.id);
        const r = await store.ingest(c.id, [
          {
            sources: [{ fileName: 'x.nzb', dupeKey: 'k' }],
            files: [
              { path: 'X/deep/a.bin', size: 4, sourceKey: 'k', segments: segmentsOf(3, 2, 'xa') },
              { path: 'X/b.bin', size: 2, sourceKey: 'k', segments: segmentsOf(1, 2, 'xb') },
            ],
          },
        ]);
        expect(await store.removeNzbSource(r.sourceIds.k!)).toEqual({ files: 2, segments: 4 });
        expect(await store.getCollection(c.id)).toEqual(before);
        expect(await store.resolvePath(c.id, 'X')).toBeNull();
        expect(await store.getNzbSource(c.id, { dupeKey: 'k' })).toBeNull();
        expect((await store.checkIntegrity()).problems).toEqual([]);
        await expectCode(store.removeNzbSource(r.sourceIds.k!), 'not-found');
      });

      it('deletes chosen files with their segments and counters, and a source left empty', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(5, 'Keep')]);
        const before = await store.getCollection(c.id);
        const r = await store.ingest(c.id, [
          {
            sources: [{ fileName: 'x.nzb', dupeKey: 'k' }],
            files: [
              { path: 'X/a.bin', size: 4, sourceKey: 'k', segments: segmentsOf(3, 2, 'xa') },
              { path: 'X/b.bin', size: 2, sourceKey: 'k', segments: segmentsOf(1, 2, 'xb') },
            ],
          },
        ]);
        const x = await store.resolvePath(c.id, 'X');
        const inX = (await store.listFiles({ collectionId: c.id, folderId: x?.kind === 'folder' ? x.folder.id : null })).items;
        const a = inX.find((f) => f.name === 'a.bin')!;
        const b = inX.find((f) => f.name === 'b.bin')!;
        // One of the source's two files: the source stays, so a re-import is still a duplicate.
        expect(await store.deleteFiles([a.id, a.id, 999_999_999])).toEqual({ files: 1, segments: 3 });
        expect(await store.getSegments({ fileId: b.id })).toHaveLength(1);
        await expectCode(store.getFile(a.id), 'not-found');
        expect(await store.getNzbSource(c.id, { dupeKey: 'k' })).not.toBeNull();
        expect((await store.search({ query: 'a.bin', collectionId: c.id })).hits.map((h) => h.file.id)).not.toContain(a.id);
        // The last one: the source goes with it, and the collection is as before the import.
        expect(await store.deleteFiles([b.id])).toEqual({ files: 1, segments: 1 });
        expect(await store.getNzbSource(c.id, { dupeKey: 'k' })).toBeNull();
        expect(r.sourceIds.k).toBeDefined();
        const after = await store.getCollection(c.id);
        expect({ ...after, folderCount: before.folderCount }).toEqual(before);
        expect((await store.checkIntegrity()).problems).toEqual([]);
        await expectCode(store.deleteFiles([]), 'invalid-argument');
      });

      it('writes an open file in parts: partial until its final part, counters as if written whole', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        const seg3 = (from: number, prefix: string) => [0, 1, 2].map((i) => seg(from + i, 10, { messageId: `${prefix}.${from + i}@x` }));
        const r = await store.ingest(c.id, [
          {
            sources: [{ fileName: 'big.nzb', dupeKey: 'pending:big', pending: true }],
            files: [{ path: 'Big/big.bin', size: 0, sourceKey: 'pending:big', groups: ['alt.a'], open: true, segments: seg3(1, 'b') }],
          },
        ]);
        const found = await store.resolvePath(c.id, 'Big/big.bin');
        const id = found?.kind === 'file' ? found.file.id : 0;
        // Every segment so far has a message-id, yet the file is not complete while open.
        expect(await store.getFile(id)).toMatchObject({ state: 'partial', segmentCount: 3, missingCount: 1 });
        expect(await store.appendSegments(id, { segments: seg3(4, 'b') })).toEqual({ segments: 3, bytes: 30 });
        // Numbers at or below the file's highest are refused, and nothing changes.
        await expectCode(store.appendSegments(id, { segments: [seg(6, 10, { messageId: 'again@x' })] }), 'invalid-argument');
        await expectCode(store.appendSegments(id, { segments: [seg(9, 10), seg(8, 10)] }), 'invalid-argument');
        await expectCode(store.appendSegments(999_999_999, { segments: [] }), 'not-found');
        expect(await store.getFile(id)).toMatchObject({ segmentCount: 6, bytes: 60 });
        const done = await store.appendSegments(id, {
          segments: [seg(9, 5, { messageId: 'b.9@x' })],
          final: { size: 65, missingNumbers: 2, duplicates: 1, groups: ['alt.b', 'alt.a'] },
        });
        expect(done).toEqual({ segments: 1, bytes: 5 });
        expect(await store.getFile(id)).toMatchObject({
          size: 65,
          segmentCount: 7,
          bytes: 65,
          uploadedCount: 7,
          missingCount: 2,
          duplicateCount: 1,
          state: 'partial',
          groups: ['alt.a', 'alt.b'],
        });
        expect((await store.getSegments({ fileId: id })).map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 9]);
        // A file written whole (no placeholder to take back) is refused a final part.
        await store.ingest(c.id, [{ files: [{ path: 'Big/whole.bin', size: 1, sourceKey: 'pending:big', segments: [seg(1, 1, { messageId: 'w@x' })] }] }]);
        const whole = await store.resolvePath(c.id, 'Big/whole.bin');
        const wholeId = whole?.kind === 'file' ? whole.file.id : 0;
        await expectCode(store.appendSegments(wholeId, { segments: [], final: { size: 1, missingNumbers: 0, duplicates: 0 } }), 'invalid-argument');
        await store.deleteFiles([wholeId]);
        expect(await store.getCollection(c.id)).toMatchObject({ fileCount: 1, segmentCount: 7, bytes: 65, uploadedSegments: 7, missingSegments: 2 });
        const big = await store.resolvePath(c.id, 'Big');
        expect(big?.kind === 'folder' ? big.folder.bytes : null).toBe(65);
        expect((await store.checkIntegrity()).problems).toEqual([]);
        // Finished, the source's files are no longer open to appends.
        await store.finishNzbSource(r.sourceIds['pending:big']!, { dupeKey: 'mid:big' });
        await expectCode(store.appendSegments(id, { segments: [seg(10, 1)] }), 'invalid-argument');
        expect(await store.removeNzbSource(r.sourceIds['pending:big']!)).toEqual({ files: 1, segments: 7 });
        expect(await store.getCollection(c.id)).toMatchObject({ fileCount: 0, segmentCount: 0, bytes: 0, uploadedSegments: 0, missingSegments: 0 });
      });

      it('drops a pending source with a file still open at the next open, counters included', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [
          {
            sources: [{ fileName: 'half.nzb', dupeKey: 'pending:o', pending: true }],
            files: [{ path: 'Half/o.bin', size: 1, sourceKey: 'pending:o', open: true, segments: [seg(1, 1, { messageId: 'o1@x' })] }],
          },
        ]);
        const found = await store.resolvePath(c.id, 'Half/o.bin');
        await store.appendSegments(found?.kind === 'file' ? found.file.id : 0, { segments: [seg(2, 1, { messageId: 'o2@x' })] });
        await store.close();
        store = await engine.open(dir);
        expect(await store.stats()).toMatchObject({ files: 0, segments: 0, folders: 0 });
        expect(await store.getCollection(c.id)).toMatchObject({ fileCount: 0, segmentCount: 0, bytes: 0, missingSegments: 0, uploadedSegments: 0 });
        expect((await store.checkIntegrity()).problems).toEqual([]);
      });

      it('drops a pending source and its files at the next open', async () => {
        const c = await store.createCollection({ name: 'C', source: 'nzb' });
        await store.ingest(c.id, [
          {
            sources: [{ fileName: 'half.nzb', dupeKey: 'pending:h', pending: true }],
            files: [{ path: 'Half/a.bin', size: 1, sourceKey: 'pending:h', segments: [seg(1, 1, { messageId: 'h@x' })] }],
          },
        ]);
        await store.close();
        store = await engine.open(dir);
        expect(await store.stats()).toMatchObject({ files: 0, segments: 0, folders: 0 });
        expect((await store.checkIntegrity()).problems).toEqual([]);
      });

      it('resolves paths to folders and files, finds files by exact name, and updates times', async () => {
        const id = await library();
        expect(await store.resolvePath(id, '')).toMatchObject({ kind: 'folder', folder: { parentId: null } });
        expect(await store.resolvePath(id, 'Movies/Extras')).toMatchObject({ kind: 'folder', folder: { name: 'Extras' } });
        const found = await store.resolvePath(id, 'Movies/arrival.2016.1080p.mkv');
        expect(found).toMatchObject({ kind: 'file', file: { name: 'arrival.2016.1080p.mkv' } });
        expect(await store.resolvePath(id, 'movies')).toBeNull();
        expect(await store.resolvePath(id, 'Nope/x')).toBeNull();
        expect((await store.findFilesByName(id, 'readme.txt')).map((f) => f.relPath)).toEqual(['readme.txt']);
        expect(await store.findFilesByName(id, 'README.TXT')).toEqual([]);
        const file = found?.kind === 'file' ? found.file : null;
        expect(await store.updateFileMtimes([{ fileId: file!.id, mtime: 1_234 }])).toBe(1);
        expect((await store.getFile(file!.id)).mtime).toBe(1_234);
        const byDate = await allFiles(store, { collectionId: id, sort: 'date' });
        // After the two files with no date at all (sort date 0), before every dated file.
        expect(byDate.findIndex((f) => f.id === file!.id)).toBe(2);
      });
    });

    describe('maintenance', () => {
      it('streams every table in primary-key order, resumable from any key', async () => {
        await library();
        const c = await store.createCollection({ name: 'More', source: 'nzb' });
        await store.ingest(c.id, [manyFilesBatch(40)]);
        const stats = await store.stats();
        const counts: Record<string, number> = {};
        for (const table of TABLES) {
          const rows: Record<string, unknown>[] = [];
          let resumeAt: (string | number)[] | null = null;
          let batches = 0;
          for await (const batch of store.streamTable(table, { batchSize: 7 })) {
            batches++;
            for (const row of batch.rows) expect(Object.keys(row)).toEqual([...TABLE_COLUMNS[table].columns]);
            rows.push(...batch.rows);
            if (batches === 2) resumeAt = batch.lastKey;
          }
          const keys = rows.map((r) => TABLE_COLUMNS[table].key.map((k) => r[k] as number));
          const sorted = [...keys].sort((x, y) => x[0]! - y[0]! || (x[1] ?? 0) - (y[1] ?? 0));
          expect(keys, table).toEqual(sorted);
          counts[table] = rows.length;
          if (resumeAt) {
            const rest: unknown[] = [];
            for await (const batch of store.streamTable(table, { batchSize: 7, after: resumeAt })) rest.push(...batch.rows);
            expect(rest).toEqual(rows.slice(14));
          }
        }
        expect(counts.segments).toBe(stats.segments);
        expect(counts.files).toBe(stats.files);
        expect(counts.collections).toBe(2);
        // Every folder the user sees plus one root per collection.
        expect(counts.folders).toBe(stats.folders + 2);
        await expectCode(
          (async () => {
            for await (const _ of store.streamTable('nope' as never)) void _;
          })(),
          'invalid-argument',
        );
      });

      it('streams segments with logical values (hash as hex, state as code)', async () => {
        await library();
        const rows: Record<string, unknown>[] = [];
        for await (const batch of store.streamTable('segments')) rows.push(...batch.rows);
        expect(rows.find((r) => r.hash !== null)).toMatchObject({ hash: '00ff10aa20bb30cc', state: 0 });
        expect(rows.find((r) => r.message_id === 'dune.1@test')).toMatchObject({ number: 1, bytes: 768_000, state: 1 });
      });

      it('backs up to a file that opens with the same contents', async () => {
        await library();
        const target = path.join(dir, 'backups', 'copy.db');
        let progressCalls = 0;
        const result = await store.backup(target, { onProgress: () => progressCalls++ });
        expect(result.bytes).toBeGreaterThan(0);
        expect(progressCalls).toBeGreaterThan(0);
        expect(fs.existsSync(`${target}.partial`)).toBe(false);
        const copy = await engine.openBackup(target);
        try {
          const [a, b] = [await store.stats(), await copy.stats()];
          expect({ ...b, dbBytes: 0, location: '' }).toEqual({ ...a, dbBytes: 0, location: '' });
          expect((await copy.search({ query: 'arrival' })).hits).toHaveLength(1);
          expect((await copy.checkIntegrity()).ok).toBe(true);
        } finally {
          await copy.close();
        }
      });

      it('reports per-table sizes when asked', async () => {
        await library();
        const stats = await store.stats({ detailed: true });
        const names = stats.tables!.map((t) => t.name);
        expect(names).toEqual(expect.arrayContaining(['segments', 'files', 'folders', 'collections']));
        expect(stats.tables!.every((t) => t.bytes > 0)).toBe(true);
        expect((await store.stats()).tables).toBeUndefined();
      });

      it('refuses calls after close', async () => {
        await store.close();
        await expectCode(store.listCollections(), 'closed');
        store = await engine.open(dir);
      });
    });
  });
}
