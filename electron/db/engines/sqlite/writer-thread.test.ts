/**
 * Tier 1 writes imports on a thread of its own: a read made while a large batch is being
 * written is answered from the last committed state before that batch commits, and what the
 * thread writes is what the calls' thread reads afterwards, segment for segment.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../../shared/errors';
import { makeTempDir } from '../../conformance/test-engines';
import type { CatalogStore, ColumnarIngestBatch, IngestBatch, IngestFile } from '../../store';
import { encodeFileColumns, packLists } from './columnar-batch';
import { encodeSegmentLists } from './ingest-wire';
import { SqliteStore } from './sqlite-store';

/** `files` files of `perFile` segments each, with message-ids, hashes and every optional field somewhere. */
function bigBatch(files: number, perFile: number, folder: string): IngestBatch {
  const list: IngestFile[] = [];
  for (let f = 0; f < files; f++) {
    list.push({
      path: `${folder}/release ${f}/part ${f}.bin`,
      size: perFile * 700_000,
      subject: `release ${f} [1/${perFile}]`,
      poster: 'poster@example.net',
      postedAt: 1_700_000_000_000 + f,
      groups: ['alt.binaries.test'],
      metadata: { n: f },
      segments: Array.from({ length: perFile }, (_, i) => ({
        number: i + 1,
        bytes: 700_000 + (i % 7),
        messageId: `p${f}s${i}@example.net`,
        ...(i % 5 === 0 ? { hash: (f * 1000 + i).toString(16).padStart(32, '0') } : {}),
        ...(i % 11 === 0 ? { state: 'missing' as const } : {}),
        ...(i % 13 === 0 ? { uploadedAt: 1_700_000_000_000 + i } : {}),
      })),
    });
  }
  return { files: list };
}

/** Every file of `batch` and its segments as the store reads them back. */
async function readBack(store: CatalogStore, collectionId: number, batch: IngestBatch): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const file of batch.files) {
    const found = await store.resolvePath(collectionId, file.path);
    if (found?.kind !== 'file') throw new Error(`${file.path} was not written`);
    // Ids differ between the two collections compared; metadata a columnar batch does not carry.
    const row = Object.fromEntries(Object.entries(await store.getFile(found.file.id)).filter(([k]) => !['id', 'collectionId', 'folderId', 'metadata'].includes(k)));
    const segments = await store.getSegments({ fileId: found.file.id, limit: 1000 });
    out.push({ row, segments: segments.map((s) => [s.number, s.bytes, s.messageId, s.hash ?? null, s.state, s.uploadedAt ?? null]) });
  }
  return out;
}

/** The same batch in columns, as the NZB parse worker hands it over (its files all in `folder`). */
async function inColumns(folder: string, batch: IngestBatch): Promise<ColumnarIngestBatch> {
  const files = batch.files.map((f) => ({
    name: f.path.slice(folder.length + 1),
    size: f.size,
    subject: f.subject ?? null,
    poster: f.poster ?? null,
    postedAt: f.postedAt ?? null,
    groups: f.groups ?? [],
    missingNumbers: f.missingNumbers ?? 0,
    duplicates: f.duplicates ?? 0,
  }));
  return { columnar: true, folder, sourceKey: null, lastOpen: false, files: encodeFileColumns(files), segments: packLists((await encodeSegmentLists(batch.files.map((f) => f.segments))).wire) };
}

/** `bigBatch` without what a columnar batch does not carry (metadata). */
const plainBatch = (files: number, perFile: number, folder: string): IngestBatch => ({
  files: bigBatch(files, perFile, folder).files.map(({ metadata: _metadata, ...f }) => f),
});

describe('the writer thread of a one-file catalog', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = makeTempDir('writer-thread');
    store = await SqliteStore.open(path.join(dir, 'catalog.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a read made during a large batch from the state before it, before the batch commits', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    await store.ingest(c.id, [bigBatch(10, 100, 'Warm')]);
    let committed = false;
    const writing = store.ingest(c.id, [bigBatch(1000, 200, 'Big')]).then((r) => {
      committed = true;
      return r;
    });
    // The event loop turns while the batch is written elsewhere; on one thread it would not
    // turn until the transaction had committed.
    await new Promise((resolve) => setImmediate(resolve));
    const during = await store.getCollection(c.id);
    expect(committed).toBe(false);
    expect(during.segmentCount).toBe(1000);
    expect(during.fileCount).toBe(10);
    const result = await writing;
    expect(result.segments).toBe(200_000);
    const after = await store.getCollection(c.id);
    expect(after.segmentCount).toBe(201_000);
    expect(after.fileCount).toBe(1010);
  });

  it('lets a write made during a large batch wait for it without holding up reads', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    // Set in a callback, so not narrowed to null here.
    let renaming = null as Promise<unknown> | null;
    let issuedAt = 0;
    let readAfterMs = 0;
    let committedAfterMs = 0;
    // The second batch is encoded while the first is written and sent as soon as the first
    // commits; a third of a batch's time after that, the thread has read it and is writing.
    const writing = store.ingest(c.id, [bigBatch(1000, 300, 'One'), bigBatch(1000, 300, 'Two')], {
      onProgress: (p) => {
        if (p.batches === 2) committedAfterMs = performance.now() - issuedAt;
        if (p.batches !== 1) return;
        setTimeout(() => {
          issuedAt = performance.now();
          renaming = store.renameCollection(c.id, 'renamed');
          void store.getCollection(c.id).then((r) => {
            readAfterMs = performance.now() - issuedAt;
            expect(r.name).toBe('c');
          });
        }, p.elapsedMs / 3);
      },
    });
    expect((await writing).segments).toBe(600_000);
    await renaming;
    // Waiting on SQLite's lock would have held this thread, and the read, until the commit.
    expect(readAfterMs).toBeGreaterThan(0);
    expect(readAfterMs).toBeLessThan(committedAfterMs / 2);
    expect(await store.getCollection(c.id)).toMatchObject({ name: 'renamed', segmentCount: 600_000 });
  });

  it('writes every field of every segment as given', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    const batch = bigBatch(3, 130, 'Exact');
    await store.ingest(c.id, [batch]);
    for (const file of batch.files) {
      const found = await store.resolvePath(c.id, file.path);
      if (found?.kind !== 'file') throw new Error(`${file.path} was not written`);
      const segments = await store.getSegments({ fileId: found.file.id, limit: 1000 });
      expect(segments.map((s) => [s.number, s.bytes, s.messageId, s.hash ?? null, s.state, s.uploadedAt ?? null])).toEqual(
        file.segments.map((s) => [s.number, s.bytes, s.messageId, s.hash ?? null, s.state ?? 'uploaded', s.uploadedAt ?? null]),
      );
    }
  });

  it('takes a batch already in columns as it is: its buffers go to the thread, and it writes what the objects write', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    const objects = plainBatch(3, 130, 'Same');
    await store.ingest(c.id, [objects]);
    const other = await store.createCollection({ name: 'other', source: 'nzb' });
    const columns = await inColumns('Same', objects);
    const result = await store.ingest(other.id, [columns]);
    expect(result).toMatchObject({ files: 3, segments: 390 });
    // Transferred to the writer thread, not decoded into objects here: this thread's copy is gone.
    expect(columns.segments.columns.numbers.byteLength).toBe(0);
    expect(columns.segments.offsets.byteLength).toBe(0);
    expect(columns.files.sizes.byteLength).toBe(0);
    expect(columns.segments.columns.messageIds.utf8.byteLength).toBe(0);
    expect(await readBack(store, other.id, objects)).toEqual(await readBack(store, c.id, objects));
  });

  it('decodes a batch in columns for a catalog without a writer thread (a temporary one)', async () => {
    const memory = await SqliteStore.open('');
    try {
      const c = await memory.createCollection({ name: 'c', source: 'nzb' });
      const objects = plainBatch(2, 40, 'Temp');
      const columns = await inColumns('Temp', objects);
      expect(await memory.ingest(c.id, [columns])).toMatchObject({ files: 2, segments: 80 });
      const other = await memory.createCollection({ name: 'other', source: 'nzb' });
      await memory.ingest(other.id, [objects]);
      expect(await readBack(memory, c.id, objects)).toEqual(await readBack(memory, other.id, objects));
      expect(columns.segments.columns.numbers.byteLength).toBeGreaterThan(0);
    } finally {
      await memory.close();
    }
  });

  it('refuses an unknown segment state before sending, and a missing collection in the calls’ words', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    const bad = bigBatch(1, 3, 'Bad');
    (bad.files[0]!.segments[1] as { state: string }).state = 'lost';
    const failure = await store.ingest(c.id, [bad]).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StrataError);
    expect((failure as StrataError).code).toBe('invalid-argument');
    expect((failure as StrataError).message).toContain('indexed, uploaded, missing');
    expect((await store.getCollection(c.id)).segmentCount).toBe(0);
    const missing = await store.ingest(c.id + 99, [bigBatch(1, 1, 'X')]).catch((e: unknown) => e);
    expect((missing as StrataError).code).toBe('not-found');
  });

  it('appends the parts of an open file on the thread, and closes with the WAL folded back', async () => {
    const c = await store.createCollection({ name: 'c', source: 'nzb' });
    const head = bigBatch(1, 50, 'Huge');
    head.sources = [{ fileName: 'huge.nzb', dupeKey: 'pending:huge', pending: true }];
    Object.assign(head.files[0]!, { open: true, sourceKey: 'pending:huge' });
    await store.ingest(c.id, [head]);
    const found = await store.resolvePath(c.id, head.files[0]!.path);
    if (found?.kind !== 'file') throw new Error('the open file was not written');
    const more = Array.from({ length: 70 }, (_, i) => ({ number: 51 + i, bytes: 1000, messageId: `more${i}@example.net` }));
    const appended = await store.appendSegments(found.file.id, { segments: more, final: { size: 120_000, missingNumbers: 0, duplicates: 0 } });
    expect(appended).toEqual({ segments: 70, bytes: 70_000 });
    expect((await store.getFile(found.file.id)).segmentCount).toBe(120);
    await store.close();
    // Only the calls' connection was left to close: the WAL is folded into the file.
    const wal = path.join(dir, 'catalog.db-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    const db = new Database(path.join(dir, 'catalog.db'), { readonly: true });
    expect((db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n).toBe(120);
    db.close();
    store = await SqliteStore.open(path.join(dir, 'catalog.db'));
  });
});
