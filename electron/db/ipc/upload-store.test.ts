/** Uploads on a real folder with a clock the test moves: the hour after which they go. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { UploadStore } from './upload-store';

describe('UploadStore', () => {
  let dir: string;
  let now: number;
  let store: UploadStore;
  beforeEach(() => {
    dir = makeTempDir('uploads');
    now = Date.now();
    store = new UploadStore(path.join(dir, 'uploads'), { fileBytes: 100, chunkBytes: 10, connectionBytes: 150, ttlMs: 60_000 }, () => now);
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('removes an upload an hour (here a minute) after it began, finished or not', async () => {
    const session = {};
    const a = await store.begin(session, 'a.nzb', 4);
    await store.chunk(a.uploadId, 0, Buffer.from('abcd').toString('base64'));
    await store.finish(a.uploadId);
    const b = await store.begin(session, 'b.nzb', 50);
    expect(fs.readdirSync(store.dir).sort()).toEqual([a.uploadId, b.uploadId].sort());
    now += 60_000;
    await store.sweep();
    expect(fs.readdirSync(store.dir)).toEqual([]);
    await expectCode(Promise.resolve().then(() => store.fileOf(a.uploadId)), 'not-found');
  });

  it('counts what a connection holds against its quota until it is discarded', async () => {
    const session = {};
    const a = await store.begin(session, 'a.nzb', 100);
    await expectCode(store.begin(session, 'b.nzb', 51), 'busy');
    await store.discard(a.uploadId);
    await expect(store.begin(session, 'b.nzb', 100)).resolves.toMatchObject({ chunkBytes: 10 });
  });

  it('removes folders a stopped process left once they are past their hour, and keeps younger ones', () => {
    const old = path.join(store.dir, 'x'.repeat(32));
    const young = path.join(store.dir, 'y'.repeat(32));
    fs.mkdirSync(old, { recursive: true });
    fs.mkdirSync(young, { recursive: true });
    const past = new Date(now - 2 * 60_000);
    fs.utimesSync(old, past, past);
    const again = new UploadStore(store.dir, { fileBytes: 100, chunkBytes: 10, connectionBytes: 150, ttlMs: 60_000 }, () => now);
    again.close();
    expect(fs.readdirSync(store.dir)).toEqual([path.basename(young)]);
  });
});
