/**
 * The importer's steps are built where the parsing runs (the parse worker for an NZB of size):
 * the thread that answers calls gets each batch with its files named and its segments in
 * columns, and passes them to the store as they are. What reaches the catalog (names, rows,
 * the dupe key) is what the importer wrote when it built every segment as an object itself.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeGeneratedNzb } from '../../../../scripts/generate/nzb-file-generator';
import { makeTempDir } from '../../conformance/test-engines';
import { decodeFileColumns, isColumnar } from '../../engines/sqlite/columnar-batch';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import type { AnyIngestBatch, CatalogStore } from '../../store';
import { FileNamer } from './nzb-file-namer';
import { importNzbFile } from './nzb-import';
import type { ImportStep } from './nzb-import-steps';
import { readNzb } from './nzb-parser';
import { readNzbSteps } from './read-nzb-file';
import type { NzbFile } from './nzb-types';

/** The dupe key as the importer defined it: one update per file, over every file the NZB lists. */
const wholeFileKey = (files: NzbFile[]): string => {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.segments.map((s) => s.messageId).join('\n')}\n`);
  return `mid:${hash.digest('hex')}`;
};

/** The store with some of its members replaced (the rest are the store's own). */
function withMembers(store: CatalogStore, members: Partial<CatalogStore>): CatalogStore {
  return new Proxy(store, {
    get(target, property) {
      if (Object.hasOwn(members, property)) return members[property as keyof CatalogStore];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** `value` with each typed array as its kind, length and digest: a deep comparison of megabytes of columns would take the test's time. */
function fingerprint(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return `${value.constructor.name}(${value.byteLength}) ${createHash('sha256').update(bytes).digest('hex')}`;
  }
  if (Array.isArray(value)) return value.map(fingerprint);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fingerprint(v)]));
  return value;
}

async function collect(steps: AsyncIterable<ImportStep>): Promise<ImportStep[]> {
  const out: ImportStep[] = [];
  for await (const step of steps) out.push(step);
  return out;
}

describe('the NZB importer’s steps', () => {
  let dir: string;
  let store: CatalogStore;
  let nzb: string;
  beforeEach(async () => {
    dir = makeTempDir('nzb-steps');
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
    nzb = path.join(dir, 'Steps.nzb');
    await writeGeneratedNzb(nzb, 60_000, 21);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('are the same from the worker as inline: files named, batches cut at the size asked, the dupe key’s text in order', async () => {
    const viaWorker = await collect(readNzbSteps(nzb, { name: 'Steps.nzb', batchSegments: 7_000 }).steps);
    const inline = await collect(readNzbSteps(nzb, { name: 'Steps.nzb', batchSegments: 7_000, inline: true }).steps);
    expect(fingerprint(viaWorker)).toEqual(fingerprint(inline));

    const { files } = await readNzb(fs.createReadStream(nzb), { name: 'Steps.nzb' });
    const namer = new FileNamer();
    const batches = viaWorker.filter((s) => s.type === 'files');
    expect(batches.flatMap((b) => decodeFileColumns(b.files).map((f) => f.name))).toEqual(files.map((f) => namer.name(f)).filter((n) => n !== null));
    // Every batch but the last reaches the size asked with its last file, and not before it.
    for (const b of batches.slice(0, -1)) {
      const counts = Array.from({ length: b.files.count }, (_, k) => (b.segments.offsets[k + 1] as number) - (b.segments.offsets[k] as number));
      const total = counts.reduce((a, n) => a + n, 0);
      expect(total).toBeGreaterThanOrEqual(7_000);
      expect(total - (counts[counts.length - 1] as number)).toBeLessThan(7_000);
    }
    const hash = createHash('sha256');
    for (const b of batches) hash.update(b.ids);
    expect(`mid:${hash.digest('hex')}`).toBe(wholeFileKey(files));
  });

  it('reach a one-file catalog in columns, to the rows, names and dupe key of objects', async () => {
    expect(fs.statSync(nzb).size).toBeGreaterThan(4 * 1024 * 1024); // parsed in the worker
    const given: AnyIngestBatch[] = [];
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    const recording = withMembers(store, {
      ingest: (collectionId, batches, options) => {
        given.push(...(batches as AnyIngestBatch[]));
        return store.ingest(collectionId, batches, options);
      },
    });
    const result = await importNzbFile(recording, c.id, nzb, { batchSegments: 10_000 });
    expect(result).toMatchObject({ status: 'imported', folder: 'Steps', segments: 60_000 });
    expect(given.length).toBeGreaterThanOrEqual(6);
    expect(given.every(isColumnar)).toBe(true);

    const { files } = await readNzb(fs.createReadStream(nzb), { name: 'Steps.nzb' });
    const source = await store.getNzbSource(c.id, { id: result.sourceId as number });
    expect(source?.dupeKey).toBe(wholeFileKey(files));
    const namer = new FileNamer();
    for (const [k, file] of files.entries()) {
      const name = namer.name(file);
      if (k % 97 !== 0 || name === null) continue;
      const found = await store.resolvePath(c.id, `Steps/${name}`);
      if (found?.kind !== 'file') throw new Error(`Steps/${name} was not written`);
      expect(found.file).toMatchObject({ subject: file.subject, segmentCount: file.segments.length });
      const segments = await store.getSegments({ fileId: found.file.id, limit: 1000 });
      expect(segments.map((s) => [s.number, s.bytes, s.messageId, s.state])).toEqual(file.segments.map((s) => [s.number, s.bytes, s.messageId, 'uploaded']));
    }
    // The same posting saved differently is still found by its message-ids.
    const reformatted = path.join(dir, 'Other.nzb');
    fs.writeFileSync(reformatted, fs.readFileSync(nzb, 'utf8').replaceAll('\n      <segment', '\n<segment'));
    expect((await importNzbFile(store, c.id, reformatted)).status).toBe('duplicate');
  });

  it('send the first batch again, whole, when its folder was taken meanwhile', async () => {
    const c = await store.createCollection({ name: 'C', source: 'nzb' });
    const { files } = await readNzb(fs.createReadStream(nzb), { name: 'Steps.nzb' });
    const first = new FileNamer().name(files[0] as NzbFile) as string;
    // Written just after the import found the folder "Steps" free: its first batch meets this
    // file and moves to "Steps (2)", sent again after its columns went to the writer thread once.
    const racing = withMembers(store, {
      resolvePath: async (collectionId, relPath) => {
        const found = await store.resolvePath(collectionId, relPath);
        if (relPath === 'Steps' && found === null) {
          await store.ingest(c.id, [{ files: [{ path: `Steps/${first}`, size: 1, segments: [{ number: 1, bytes: 1, messageId: 'taken@example.net' }] }] }]);
        }
        return found;
      },
    });
    const importing = importNzbFile(racing, c.id, nzb, { batchSegments: 10_000 });
    const result = await importing;
    expect(result).toMatchObject({ status: 'imported', folder: 'Steps (2)', segments: 60_000 });
    const moved = await store.resolvePath(c.id, `Steps (2)/${first}`);
    if (moved?.kind !== 'file') throw new Error('the first file was not written');
    expect((await store.getSegments({ fileId: moved.file.id, limit: 1000 })).map((s) => s.messageId)).toEqual(files[0]?.segments.map((s) => s.messageId));
  });
});
