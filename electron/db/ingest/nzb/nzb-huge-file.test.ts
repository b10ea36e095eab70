/**
 * An NZB with one huge file, written to a real file by the streaming generator and imported
 * into a real SQLite catalog through the worker parser, as the app does.
 *
 * Memory is bounded per file by structure, which these tests check instead of measuring RSS
 * (which a unit test cannot hold to a bound without flakes; `npm run bench -- nzb-memory`
 * measures it): the parser never holds more than its part size of one file, no event carries
 * more, and the importer writes the file in parts to the same rows, counters and dupe key as
 * a file that came whole. And all or nothing per NZB still holds when the huge file breaks.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import type { CatalogStore } from '../../store';
import { writeHugeFileNzb } from './huge-file-nzb';
import { importNzbs } from './nzb-import';
import { DEFAULT_MAX_FILE_SEGMENTS, parseNzb, readNzb } from './nzb-parser';
import { readNzbFile } from './read-nzb-file';
import type { NzbEvent, NzbFile } from './nzb-types';
import { chunks, storeCounts } from './nzb-testing';

const SEGMENTS = 200_000;

const segmentsIn = (e: NzbEvent): number =>
  e.type === 'file' || e.type === 'file-start' ? e.file.segments.length : e.type === 'file-segments' ? e.segments.length : e.type === 'file-end' ? (e.end.tail?.length ?? 0) : 0;

/** The dupe key as the importer defined it before files came in parts: over whole files. */
const wholeFileKey = (files: NzbFile[]): string => {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.segments.map((s) => s.messageId).join('\n')}\n`);
  return `mid:${hash.digest('hex')}`;
};

describe('an NZB with one huge file', () => {
  let dir: string;
  let store: CatalogStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-huge-nzb-'));
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is read in parts: the parser holds at most one part of the file, in the worker and inline', async () => {
    const nzb = path.join(dir, 'parts.nzb');
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 2 });
    const inline = parseNzb(fs.createReadStream(nzb), { name: 'parts.nzb' });
    let largest = 0;
    const kinds: string[] = [];
    let next = 1;
    for await (const e of inline.events) {
      largest = Math.max(largest, segmentsIn(e));
      if (e.type !== 'head' && kinds[kinds.length - 1] !== e.type) kinds.push(e.type);
      const part = e.type === 'file-start' ? e.file.segments : e.type === 'file-segments' ? e.segments : [];
      for (const s of part) expect(s.number).toBe(next++);
    }
    expect(next - 1).toBe(SEGMENTS);
    expect(kinds).toEqual(['file', 'file-start', 'file-segments', 'file-end']);
    expect(inline.held.maxSegments).toBeLessThanOrEqual(DEFAULT_MAX_FILE_SEGMENTS);
    expect(largest).toBeLessThanOrEqual(DEFAULT_MAX_FILE_SEGMENTS);
    expect(inline.summary).toMatchObject({ files: 3, segments: SEGMENTS + 20, missingSegments: 0 });

    const viaWorker = readNzbFile(nzb, { name: 'parts.nzb', maxFileSegments: 7_000 });
    let workerLargest = 0;
    let total = 0;
    for await (const e of viaWorker.events) {
      workerLargest = Math.max(workerLargest, segmentsIn(e));
      total += segmentsIn(e);
    }
    expect(workerLargest).toBeLessThanOrEqual(7_000);
    expect(total).toBe(SEGMENTS + 20);
    expect(viaWorker.summary).toMatchObject({ files: 3, segments: SEGMENTS + 20 });
  }, 180_000);

  it('imports whole, in parts, to the rows, counters and dupe key of a file written whole', async () => {
    const nzb = path.join(dir, 'whole.nzb');
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 3 });
    const collection = await store.createCollection({ name: 'Huge', source: 'nzb' });
    const progress: number[] = [];
    const outcome = await importNzbs(store, collection.id, [nzb], { batchSegments: 10_000, onProgress: (p) => progress.push(p.segments) });
    const result = outcome.results[0];
    expect(result?.status).toBe('imported');
    expect(result).toMatchObject({ files: 4, segments: SEGMENTS + 30, bytes: (SEGMENTS + 30) * 768_000 });
    expect(storeCounts(await store.stats())).toMatchObject({ files: 4, segments: SEGMENTS + 30, bytes: (SEGMENTS + 30) * 768_000 });
    // Appends report as they commit: progress moves through the huge file, not once at its end.
    expect(progress.filter((n) => n > 30 && n < SEGMENTS).length).toBeGreaterThanOrEqual(2);
    const huge = await store.resolvePath(collection.id, 'whole/huge.bin');
    expect(huge?.kind === 'file' ? huge.file : null).toMatchObject({
      segmentCount: SEGMENTS,
      uploadedCount: SEGMENTS,
      missingCount: 0,
      state: 'uploaded',
      size: SEGMENTS * 768_000,
    });
    expect((await store.getCollection(collection.id)).missingSegments).toBe(0);
    const parsed = await readNzb(fs.createReadStream(nzb), { name: 'whole.nzb' });
    const source = await store.getNzbSource(collection.id, { id: result!.sourceId! });
    expect(source?.dupeKey).toBe(wholeFileKey(parsed.files));
    expect((await store.checkIntegrity()).problems).toEqual([]);
  }, 180_000);

  it('mends a file that leaves number order after its first part to what it would be whole', async () => {
    // Numbers 1..250, then 120 again (same article: dropped), 121 with another article (a
    // duplicate), 90 missing until now, and 400: as one file it sorts, drops and counts these.
    const numbers = [...Array.from({ length: 250 }, (_, i) => i + 1).filter((n) => n !== 90), 120, 121, 90, 400];
    const doc = [
      '<?xml version="1.0"?><nzb><head><meta type="title">Mend</meta></head>',
      '<file poster="p" date="1700000000" subject="&quot;first.bin&quot; yEnc (1/2)"><groups><group>alt.a</group></groups><segments>',
      '<segment bytes="5" number="1">f1@x</segment><segment bytes="5" number="2">f2@x</segment></segments></file>',
      '<file poster="p" date="1700000000" subject="&quot;mend.bin&quot; yEnc (1/400)"><groups><group>alt.a</group></groups><segments>',
      ...numbers.map((n, i) => `<segment bytes="${n}" number="${n}">${n === 121 && i > 240 ? 'other' : 'm'}${n}@x</segment>`),
      '</segments><groups><group>alt.late</group></groups></file></nzb>',
    ].join('\n');
    const nzb = path.join(dir, 'mend.nzb');
    fs.writeFileSync(nzb, doc);
    const whole = await store.createCollection({ name: 'Whole', source: 'nzb' });
    const parts = await store.createCollection({ name: 'Parts', source: 'nzb' });
    const a = (await importNzbs(store, whole.id, [nzb], { inline: true })).results[0];
    const b = (await importNzbs(store, parts.id, [nzb], { inline: true, maxFileSegments: 100 })).results[0];
    expect(a?.status).toBe('imported');
    expect(b?.status).toBe('imported');
    expect(b?.warnings).toEqual(a?.warnings);
    expect(b?.warnings).toMatchObject({ duplicateSegments: 1, missingSegments: 400 - 251 });
    expect({ ...b, file: null, sourceId: null, warnings: null }).toEqual({ ...a, file: null, sourceId: null, warnings: null });
    const fileOf = async (collectionId: number) => {
      const r = await store.resolvePath(collectionId, 'mend/mend.bin');
      if (r?.kind !== 'file') throw new Error('mend.bin was not imported');
      const detail = await store.getFile(r.file.id);
      // Ids differ between the two collections; everything else must not.
      const rest: Partial<typeof detail> = { ...detail, id: 0, collectionId: 0, folderId: 0, nzbSourceId: 0 };
      return { ...rest, segments: (await store.getSegments({ fileId: r.file.id })).map((s) => [s.number, s.bytes, s.messageId]) };
    };
    const expected = await fileOf(whole.id);
    expect(expected).toMatchObject({ segmentCount: 251, missingCount: 400 - 251, duplicateCount: 1, groups: ['alt.a', 'alt.late'] });
    expect(await fileOf(parts.id)).toEqual(expected);
    const keyOf = async (collectionId: number, id: number | null | undefined) => (await store.getNzbSource(collectionId, { id: id! }))?.dupeKey;
    expect(await keyOf(parts.id, b?.sourceId)).toBe(await keyOf(whole.id, a?.sourceId));
    const reread = await readNzb(chunks(doc), { name: 'mend.nzb', maxFileSegments: 100 });
    expect(await keyOf(parts.id, b?.sourceId)).toBe(wholeFileKey(reread.files));
    expect(storeCounts(await store.stats())).toMatchObject({ files: 4, segments: 2 * (2 + 251) });
    expect((await store.checkIntegrity()).problems).toEqual([]);
  }, 60_000);

  it('keeps nothing of the NZB when the huge file is malformed near its end, after earlier batches committed', async () => {
    const nzb = path.join(dir, 'broken.nzb');
    // A mismatched closing tag a few lines before the end of the huge file.
    // 3 x 10,000 segments before it: the parse worker hands them over (20,000 a message) and
    // the importer commits them, and parts of the huge file, before the parser reaches the break.
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 3, segmentsBefore: 10_000, tail: `<segment bytes="768000" number="${SEGMENTS + 1}">late@bench.nzb</segmnt>\n` });
    const collection = await store.createCollection({ name: 'Huge', source: 'nzb' });
    const progress: number[] = [];
    const outcome = await importNzbs(store, collection.id, [nzb], { batchSegments: 10, onProgress: (p) => progress.push(p.segments) });
    const result = outcome.results[0];
    expect(result?.status).toBe('failed');
    expect(result?.error?.code).toBe('nzb-invalid');
    expect(result?.error?.message).toMatch(/not a well-formed NZB/u);
    // The files before it and parts of the huge file were committed and then taken back.
    expect(Math.max(0, ...progress)).toBeGreaterThanOrEqual(30_000 + DEFAULT_MAX_FILE_SEGMENTS);
    expect(storeCounts(await store.stats())).toMatchObject({ files: 0, segments: 0, bytes: 0 });
    expect(await store.getCollection(collection.id)).toMatchObject({ fileCount: 0, segmentCount: 0, missingSegments: 0, uploadedSegments: 0 });
    expect(await store.resolvePath(collection.id, 'broken')).toBeNull();
  }, 180_000);
});
