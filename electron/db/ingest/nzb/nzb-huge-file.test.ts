/**
 * An NZB whose one file is huge and breaks near its end: nothing of it may stay, also when
 * files before it were committed in earlier batches (all or nothing per NZB). Written to a
 * real file by the streaming generator and imported into a real SQLite catalog through the
 * worker parser, as the app does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import type { CatalogStore } from '../../store';
import { writeHugeFileNzb } from './huge-file-nzb';
import { importNzbs } from './nzb-import';
import { storeCounts } from './nzb-testing';

const SEGMENTS = 200_000;

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

  it('imports whole when it is well formed', async () => {
    const nzb = path.join(dir, 'whole.nzb');
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 3 });
    const collection = await store.createCollection({ name: 'Huge', source: 'nzb' });
    const outcome = await importNzbs(store, collection.id, [nzb], { batchSegments: 10_000 });
    expect(outcome.results[0]?.status).toBe('imported');
    expect(storeCounts(await store.stats())).toMatchObject({ files: 4, segments: SEGMENTS + 30 });
  }, 180_000);

  it('keeps nothing of the NZB when the huge file is malformed near its end, after earlier batches committed', async () => {
    const nzb = path.join(dir, 'broken.nzb');
    // A mismatched closing tag a few lines before the end of the huge file.
    // 3 x 10,000 segments before it: the parse worker hands them over (20,000 a message) and
    // the importer commits them before the parser reaches the break.
    await writeHugeFileNzb(nzb, SEGMENTS, { filesBefore: 3, segmentsBefore: 10_000, tail: `<segment bytes="768000" number="${SEGMENTS + 1}">late@bench.nzb</segmnt>\n` });
    const collection = await store.createCollection({ name: 'Huge', source: 'nzb' });
    const progress: number[] = [];
    const outcome = await importNzbs(store, collection.id, [nzb], { batchSegments: 10, onProgress: (p) => progress.push(p.segments) });
    const result = outcome.results[0];
    expect(result?.status).toBe('failed');
    expect(result?.error?.code).toBe('nzb-invalid');
    expect(result?.error?.message).toMatch(/not a well-formed NZB/u);
    // The files before it were committed in their own batches and then taken back.
    expect(Math.max(0, ...progress)).toBeGreaterThanOrEqual(20_000);
    expect(storeCounts(await store.stats())).toMatchObject({ files: 0, segments: 0, bytes: 0 });
    expect(await store.resolvePath(collection.id, 'broken')).toBeNull();
  }, 180_000);
});
