/**
 * Import and export end to end on real files: round trips, idempotency, all-or-nothing
 * imports (failure, cancel, crash), folder naming, DTD validity, and posting results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeGeneratedNzb } from '../../../../scripts/generate/nzb-file-generator';
import { makeTempDir } from '../../conformance/test-engines';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import type { CatalogStore } from '../../store';
import { indexFolder } from '../folder/index-folder';
import { attachNzb } from './attach-nzb';
import { exportNzb } from './nzb-export';
import { importNzbFile, importNzbs } from './nzb-import';
import { readNzb } from './nzb-parser';
import { nzb11Violations } from './nzb-testing';
import { nzbFile, NZB_EPILOGUE, NZB_PROLOGUE } from './nzb-writer';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/nzb');

async function catalogue(store: CatalogStore, collectionId: number): Promise<unknown[]> {
  const out: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listFiles({ collectionId, sort: 'name', limit: 1000, cursor });
    for (const f of page.items) {
      const detail = await store.getFile(f.id);
      const segments = await store.getSegments({ fileId: f.id });
      out.push({
        name: f.name,
        size: f.size,
        subject: f.subject,
        poster: f.poster,
        postedAt: f.postedAt,
        groups: [...detail.groups].sort(),
        missing: f.missingCount,
        segments: segments.map((s) => [s.number, s.bytes, s.messageId]),
      });
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The catalogue as a set of files keyed by their first article. Names are compared as a
 * multiset: files of one name in one NZB get " (2)" suffixes in reading order, and an export
 * lists files in catalogue order, so which of two same-named files carries the suffix may
 * change while the set of names does not.
 */
async function catalogueSet(store: CatalogStore, collectionId: number): Promise<{ names: string[]; files: unknown[] }> {
  const files = (await catalogue(store, collectionId)) as { name: string; segments: unknown[][] }[];
  const firstId = (f: { segments: unknown[][] }): string => String(f.segments[0]?.[2]);
  return {
    names: files.map((f) => f.name).sort(),
    files: files.map(({ name: _name, ...rest }) => rest).sort((a, b) => firstId(a).localeCompare(firstId(b))),
  };
}

describe('NZB import and export', () => {
  let dir: string;
  let store: CatalogStore;
  beforeEach(async () => {
    dir = makeTempDir('nzb-io');
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips a generated NZB: import(export(x)) == x, with a DTD-valid document in between', async () => {
    const original = path.join(dir, 'Generated Set.nzb');
    await writeGeneratedNzb(original, 30_000, 11);
    const a = await store.createCollection({ name: 'A', source: 'nzb' });
    const imported = await importNzbFile(store, a.id, original, { batchSegments: 4_000 });
    expect(imported).toMatchObject({ status: 'imported', folder: 'Generated Set', segments: 30_000 });

    const exported = path.join(dir, 'out', 'export.nzb');
    const result = await exportNzb(store, exported, { collectionId: a.id, path: 'Generated Set' });
    expect(result).toMatchObject({ files: imported.files, segments: 30_000, skippedFiles: 0 });
    expect(nzb11Violations(fs.readFileSync(exported, 'utf8'))).toEqual([]);

    // The exported document says what the original said, file for file, article for article.
    const before = await readNzb(fs.createReadStream(original), { name: 'original' });
    const after = await readNzb(fs.createReadStream(exported), { name: 'export' });
    expect(after.head.meta).toEqual(before.head.meta);
    // Group order carries no meaning and the catalogue keeps groups sorted by name.
    const normal = (files: typeof before.files) =>
      files.map((f) => ({ ...f, groups: [...f.groups].sort() })).sort((x, y) => x.subject.localeCompare(y.subject));
    expect(normal(after.files)).toEqual(normal(before.files));

    const b = await store.createCollection({ name: 'B', source: 'nzb' });
    const again = await importNzbFile(store, b.id, exported);
    expect(again.status).toBe('imported');
    expect(await catalogueSet(store, b.id)).toEqual(await catalogueSet(store, a.id));
  });

  it('round-trips a real NZB with missing segments, escaped text and its password', async () => {
    const a = await store.createCollection({ name: 'A', source: 'nzb' });
    const source = path.join(dir, 'Show {{s3cret}}.nzb');
    fs.copyFileSync(path.join(FIXTURES, 'ravencentric/valid_nzb_with_one_missing_segment.nzb'), source);
    const first = await importNzbFile(store, a.id, source);
    expect(first).toMatchObject({ status: 'imported', folder: 'Show', passwords: ['s3cret'] });
    const exported = path.join(dir, 'show-export.nzb');
    await exportNzb(store, exported, { collectionId: a.id, path: 'Show' });
    expect(nzb11Violations(fs.readFileSync(exported, 'utf8'))).toEqual([]);
    const b = await store.createCollection({ name: 'B', source: 'nzb' });
    const second = await importNzbFile(store, b.id, exported);
    expect(second.passwords).toEqual(['s3cret']);
    expect(await catalogue(store, b.id)).toEqual(await catalogue(store, a.id));
  });

  it('adds nothing when the same NZB comes again, by bytes or by message-ids', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    const nzb = path.join(dir, 'one.nzb');
    await writeGeneratedNzb(nzb, 2_000, 3);
    expect((await importNzbFile(store, c.id, nzb)).status).toBe('imported');
    const stats = await store.stats();
    expect((await importNzbFile(store, c.id, nzb)).status).toBe('duplicate');
    // Same articles, different bytes: re-indented and renamed.
    const reformatted = path.join(dir, 'other name.nzb');
    fs.writeFileSync(reformatted, fs.readFileSync(nzb, 'utf8').replaceAll('\n      <segment', '\n<segment'));
    const dup = await importNzbFile(store, c.id, reformatted);
    expect(dup.status).toBe('duplicate');
    expect(dup.sourceId).not.toBeNull();
    expect({ ...(await store.stats()), dbBytes: 0 }).toEqual({ ...stats, dbBytes: 0 });
    expect((await store.checkIntegrity()).ok).toBe(true);
  });

  it('puts a different NZB of the same name in its own folder', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    fs.mkdirSync(path.join(dir, 'x'));
    fs.mkdirSync(path.join(dir, 'y'));
    await writeGeneratedNzb(path.join(dir, 'x', 'Same.nzb'), 500, 1);
    await writeGeneratedNzb(path.join(dir, 'y', 'Same.nzb'), 500, 2);
    const outcome = await importNzbs(store, c.id, [path.join(dir, 'x'), path.join(dir, 'y')]);
    expect(outcome.results.map((r) => r.folder)).toEqual(['Same', 'Same (2)']);
  });

  it('imports nothing of an NZB that breaks part-way, and the others in the batch still import', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    const good = path.join(dir, 'good.nzb');
    await writeGeneratedNzb(good, 3_000, 5);
    const whole = path.join(dir, 'whole.nzb');
    await writeGeneratedNzb(whole, 20_000, 6);
    const text = fs.readFileSync(whole, 'utf8');
    const broken = path.join(dir, 'broken.nzb');
    fs.writeFileSync(broken, text.slice(0, Math.floor(text.length * 0.8)));
    for (const inline of [true, false]) {
      const outcome = await importNzbs(store, c.id, [broken, good], { batchSegments: 2_000, inline });
      expect(outcome.results[0]).toMatchObject({ status: 'failed', files: 0, error: { code: 'nzb-invalid' } });
      expect(outcome.results[1]?.status).toBe(inline ? 'imported' : 'duplicate');
    }
    const stats = await store.stats();
    expect(stats.segments).toBe(3_000);
    expect((await store.listFolders({ collectionId: c.id })).items.map((f) => f.name)).toEqual(['good']);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  it('takes a cancelled import out again', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    const nzb = path.join(dir, 'big.nzb');
    await writeGeneratedNzb(nzb, 40_000, 8);
    const controller = new AbortController();
    const outcome = await importNzbs(store, c.id, [nzb], {
      batchSegments: 2_000,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.segments >= 6_000) controller.abort();
      },
    });
    expect(outcome.results[0]?.status).toBe('cancelled');
    expect((await store.stats()).segments).toBe(0);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  it('removes an import a crash left unfinished at the next open', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    await store.ingest(c.id, [
      {
        sources: [{ fileName: 'half.nzb', dupeKey: 'pending:x', pending: true }],
        files: [{ path: 'half/a.bin', size: 10, sourceKey: 'pending:x', segments: [{ number: 1, bytes: 10, messageId: 'a@b' }] }],
      },
    ]);
    expect((await store.stats()).files).toBe(1);
    await store.close();
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
    expect(await store.stats()).toMatchObject({ files: 0, segments: 0, folders: 0 });
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  it('exports a single file and a whole collection, leaving unposted files out', async () => {
    const c = await store.createCollection({ name: 'Mixed', source: 'local' });
    await store.ingest(c.id, [
      {
        files: [
          { path: 'docs/a.pdf', size: 5, subject: 'a & <b>', segments: [{ number: 1, bytes: 5, messageId: 'a"1@x' }] },
          { path: 'docs/local-only.pdf', size: 5, segments: [{ number: 1, bytes: 5 }] },
        ],
      },
    ]);
    const whole = path.join(dir, 'whole.nzb');
    const r = await exportNzb(store, whole, { collectionId: c.id });
    expect(r).toMatchObject({ files: 1, skippedFiles: 1 });
    const xml = fs.readFileSync(whole, 'utf8');
    expect(nzb11Violations(xml)).toEqual([]);
    const parsed = await readNzb(fs.createReadStream(whole), { name: 'whole' });
    expect(parsed.head.meta).toEqual({ title: ['Mixed'] });
    expect(parsed.files[0]).toMatchObject({ subject: 'a & <b>', segments: [{ number: 1, bytes: 5, messageId: 'a"1@x' }] });
    const single = path.join(dir, 'single.nzb');
    expect((await exportNzb(store, single, { collectionId: c.id, path: 'docs/a.pdf' })).files).toBe(1);
    await expect(exportNzb(store, path.join(dir, 'none.nzb'), { collectionId: c.id, path: 'docs/local-only.pdf' })).rejects.toMatchObject({
      code: 'not-found',
    });
    expect(fs.existsSync(path.join(dir, 'none.nzb'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'none.nzb.partial'))).toBe(false);
    await expect(exportNzb(store, path.join(dir, 'x.nzb'), { collectionId: c.id, path: 'nope' })).rejects.toMatchObject({ code: 'not-found' });
  });

  it("attaches an uploader's NZB to an indexed folder and reports what did not match", async () => {
    const folder = path.join(dir, 'to-post');
    fs.mkdirSync(path.join(folder, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'movie.mkv'), Buffer.alloc(2_000_000, 1));
    fs.writeFileSync(path.join(folder, 'sub', 'notes.txt'), 'hello');
    const c = await store.createCollection({ name: 'Local', source: 'local', rootPath: folder });
    await indexFolder(store, c.id, folder);
    // What an uploader writes: yEnc articles a little larger than the data.
    const article = (raw: number) => Math.round(raw * 1.02) + 300;
    const posted = path.join(dir, 'posted.nzb');
    fs.writeFileSync(
      posted,
      NZB_PROLOGUE +
        nzbFile({
          subject: '[1/3] - "movie.mkv" yEnc (1/3) 2000000',
          poster: 'up <up@x>',
          date: 1_700_000_000,
          groups: ['alt.binaries.test'],
          segments: [
            { number: 1, bytes: article(768_000), messageId: 'm1@up' },
            { number: 2, bytes: article(768_000), messageId: 'm2@up' },
            { number: 3, bytes: 100, messageId: 'm3@up' },
          ],
        }) +
        nzbFile({ subject: '"notes.txt" yEnc (1/1)', poster: null, date: 1_700_000_000, groups: ['a.b.c'], segments: [{ number: 1, bytes: article(5), messageId: 'n1@up' }] }) +
        nzbFile({ subject: '"stranger.bin" yEnc (1/1)', poster: null, date: null, groups: ['a.b.c'], segments: [{ number: 1, bytes: 10, messageId: 's@up' }] }) +
        NZB_EPILOGUE,
    );
    const r = await attachNzb(store, c.id, posted);
    expect(r).toMatchObject({ nzbFiles: 3, matchedFiles: 2, attachedSegments: 3 });
    expect(r.unmatched).toEqual([{ file: 'stranger.bin', reason: 'no file of this name in the collection' }]);
    expect(r.segmentProblems.map((p) => p.reason)).toEqual([
      'segment 3: article of 100 bytes cannot hold 464000 bytes of data',
      '1 of 3 segments have no posted article in this NZB',
    ]);
    const movie = (await store.findFilesByName(c.id, 'movie.mkv'))[0]!;
    expect(await store.getFile(movie.id)).toMatchObject({ uploadedCount: 2, state: 'partial' });
    const notes = (await store.findFilesByName(c.id, 'notes.txt'))[0]!;
    expect((await store.getSegments({ fileId: notes.id }))[0]).toMatchObject({ messageId: 'n1@up', state: 'uploaded', uploadedAt: 1_700_000_000_000 });
    // Files handed over in parts (here of one segment each) are put together again for
    // matching; attaching the same NZB again changes nothing and reports the same.
    expect(await attachNzb(store, c.id, posted, { maxFileSegments: 1, inline: true })).toEqual(r);
    expect(await store.getFile(movie.id)).toMatchObject({ uploadedCount: 2, state: 'partial' });
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });
});
