/** Folder indexing on real folders: hashes, re-indexing, and everything odd a disk can hold. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { xxhash128, xxhash3 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import type { CatalogStore } from '../../store';
import { indexFolder } from './index-folder';

describe('indexFolder', () => {
  let dir: string;
  let root: string;
  let store: CatalogStore;
  let collectionId: number;
  beforeEach(async () => {
    dir = makeTempDir('index');
    root = path.join(dir, 'library');
    fs.mkdirSync(root);
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
    collectionId = (await store.createCollection({ name: 'Library', source: 'local', rootPath: root })).id;
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const file = async (rel: string) => {
    const found = await store.resolvePath(collectionId, rel);
    if (found?.kind !== 'file') throw new Error(`${rel} is not catalogued`);
    return found.file;
  };

  it('splits files into segments and hashes each one and the whole, read once', async () => {
    const data = Buffer.alloc(2_000_000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    fs.mkdirSync(path.join(root, 'Videos'));
    fs.writeFileSync(path.join(root, 'Videos', 'clip.mkv'), data);
    fs.writeFileSync(path.join(root, 'empty.txt'), '');
    const r = await indexFolder(store, collectionId, root);
    expect(r).toMatchObject({ filesSeen: 2, added: 2, segments: 4, bytesHashed: 2_000_000, problems: [] });
    const clip = await file('Videos/clip.mkv');
    const segmentHashes = [
      await xxhash3(data.subarray(0, 768_000)),
      await xxhash3(data.subarray(768_000, 1_536_000)),
      await xxhash3(data.subarray(1_536_000)),
    ];
    // The content hash is XXH3-128 over "size:segmentBytes:" and the segment hashes in order.
    const tree = await xxhash128(`2000000:768000:${segmentHashes.join('')}`);
    expect(clip).toMatchObject({ size: 2_000_000, segmentCount: 3, state: 'indexed', contentHash: tree });
    const segments = await store.getSegments({ fileId: clip.id });
    expect(segments.map((s) => s.bytes)).toEqual([768_000, 768_000, 464_000]);
    expect(segments.map((s) => s.hash)).toEqual(segmentHashes);
    expect((await file('empty.txt')).segmentCount).toBe(1);
  });

  it('honours a custom segment size', async () => {
    fs.writeFileSync(path.join(root, 'a.bin'), Buffer.alloc(10_000, 3));
    await indexFolder(store, collectionId, root, { segmentBytes: 4096 });
    expect((await store.getSegments({ fileId: (await file('a.bin')).id })).map((s) => s.bytes)).toEqual([4096, 4096, 1808]);
    await expect(indexFolder(store, collectionId, root, { segmentBytes: 10 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('re-reads only what changed, and keeps the upload state of a file that was only touched', async () => {
    fs.writeFileSync(path.join(root, 'same.bin'), 'same');
    fs.writeFileSync(path.join(root, 'touched.bin'), 'touched');
    fs.writeFileSync(path.join(root, 'edited.bin'), 'edited');
    fs.writeFileSync(path.join(root, 'removed.bin'), 'removed');
    await indexFolder(store, collectionId, root);
    const touched = await file('touched.bin');
    await store.updateSegments([{ fileId: touched.id, number: 1, messageId: 't1@up' }]);

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(root, 'touched.bin'), later, later);
    fs.writeFileSync(path.join(root, 'edited.bin'), 'edited, longer now');
    fs.rmSync(path.join(root, 'removed.bin'));
    const r = await indexFolder(store, collectionId, root);
    expect(r).toMatchObject({ filesSeen: 3, added: 0, replaced: 1, touched: 1, unchanged: 1, gone: ['removed.bin'] });
    expect(r.bytesHashed).toBe('touched'.length + 'edited, longer now'.length);
    const after = await file('touched.bin');
    expect(after).toMatchObject({ id: touched.id, state: 'uploaded', mtime: Math.floor(fs.statSync(path.join(root, 'touched.bin')).mtimeMs) });
    expect((await file('edited.bin')).size).toBe('edited, longer now'.length);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  it('reports links, loops, special files and unreadable entries, and indexes everything else', async () => {
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'b', 'deep.txt'), 'deep');
    fs.symlinkSync(root, path.join(root, 'a', 'b', 'back-to-top'));
    // An alias of a folder indexed elsewhere (`g++ -> cpp`): not a loop, not a problem, and its
    // files are catalogued once, under their own path.
    fs.symlinkSync(path.join(root, 'a'), path.join(root, 'z-alias-of-a'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(root, 'dangling'));
    fs.symlinkSync(path.join(root, 'a', 'b', 'deep.txt'), path.join(root, 'linked.txt'));
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    const r = await indexFolder(store, collectionId, root);
    expect(r.added).toBe(2);
    expect(r.problems.map((p) => [path.relative(root, p.path), p.reason]).sort()).toEqual([
      ['a/b/back-to-top', 'symlink loop (links to a folder that contains it); skipped'],
      ['dangling', 'vanished or a broken link'],
      ['pipe', 'not a regular file (device, pipe or socket); skipped'],
    ]);
    expect((await file('linked.txt')).size).toBe(4);
    expect((await store.stats()).files).toBe(2);
  });

  it('takes very long paths and unusual names', async () => {
    const names = ['Ünïcødé café', '日本語のフォルダ', 'emoji 🎞️ clips', 'a'.repeat(200), 'back\\slash and: colon', 'trailing dot.', ' leading space'];
    let rel = '';
    for (let depth = 0; depth < 8; depth++) rel = rel ? `${rel}/${names[depth % names.length]}` : (names[0] as string);
    fs.mkdirSync(path.join(root, rel), { recursive: true });
    fs.writeFileSync(path.join(root, rel, 'ﬁle with ligature.txt'), 'x');
    expect(path.join(root, rel).length).toBeGreaterThan(300);
    const r = await indexFolder(store, collectionId, root);
    expect(r).toMatchObject({ added: 1, problems: [] });
    expect((await file(`${rel}/ﬁle with ligature.txt`)).size).toBe(1);
    expect((await store.search({ query: 'ligature' })).hits).toHaveLength(1);
  });

  it('keeps what it indexed when cancelled', async () => {
    for (let i = 0; i < 30; i++) fs.writeFileSync(path.join(root, `f${String(i).padStart(2, '0')}.bin`), Buffer.alloc(10_000, i));
    const controller = new AbortController();
    let seen = 0;
    await indexFolder(store, collectionId, root, { batchFiles: 5 });
    // A second run over a bigger tree, cancelled from its own progress.
    for (let i = 30; i < 300; i++) fs.writeFileSync(path.join(root, `g${String(i).padStart(3, '0')}.bin`), Buffer.alloc(50_000, i));
    await expect(
      indexFolder(store, collectionId, root, {
        batchFiles: 10,
        signal: controller.signal,
        onProgress: (p) => {
          seen = p.filesHashed;
          if (p.filesHashed > 20) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    const stats = await store.stats();
    expect(seen).toBeGreaterThan(20);
    expect(stats.files).toBeGreaterThanOrEqual(30 + 20);
    expect(stats.files).toBeLessThan(300);
    expect((await store.checkIntegrity()).problems).toEqual([]);
  });

  it('commits by bytes hashed as well as by files', async () => {
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(root, `big${i}.bin`), Buffer.alloc(600_000, i));
    const committed: number[] = [];
    // A real store under a reader: the files it holds after each commit, seen from the progress
    // event that follows every commit.
    await indexFolder(store, collectionId, root, {
      batchBytes: 1_000_000,
      onProgress: () => void store.stats().then((s) => committed.push(s.files)),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // 600,000 bytes a file and a 1,000,000-byte batch: a commit after every second file.
    expect([...new Set(committed)].filter((n) => n > 0)).toEqual([2, 4, 6]);
  });

  it('reads a file again when it was truncated while being read, and records it as it is now', async () => {
    const target = path.join(root, 'growing.bin');
    fs.writeFileSync(target, Buffer.alloc(3_000_000, 7));
    let reads = 0;
    const r = await indexFolder(store, collectionId, root, {
      duringRead: (f) => {
        if (f === target && ++reads === 1) fs.truncateSync(target, 1_000_000);
      },
    });
    expect(reads).toBe(2);
    expect(r.added).toBe(1);
    expect(r.problems.map((p) => p.path)).toEqual([target]);
    expect(r.problems[0]!.reason).toContain('read again (2 reads)');
    const entry = await file('growing.bin');
    expect(entry).toMatchObject({ size: 1_000_000, segmentCount: 2 });
    expect(entry.mtime).toBe(Math.floor(fs.statSync(target).mtimeMs));
    expect(entry.contentHash).toBe(await xxhash128(`1000000:768000:${await xxhash3(Buffer.alloc(768_000, 7))}${await xxhash3(Buffer.alloc(232_000, 7))}`));
  });

  it('reports a file that keeps changing while read and records nothing stale; the next index reads it', async () => {
    const target = path.join(root, 'download.part');
    fs.writeFileSync(target, Buffer.alloc(2_000_000, 1));
    fs.writeFileSync(path.join(root, 'steady.bin'), Buffer.alloc(1_000, 2));
    await indexFolder(store, collectionId, root);
    const before = await file('download.part');
    fs.appendFileSync(target, Buffer.alloc(500_000, 3));
    let reads = 0;
    const r = await indexFolder(store, collectionId, root, {
      duringRead: (f) => {
        if (f !== target) return;
        reads++;
        fs.appendFileSync(target, Buffer.alloc(100_000, 4));
      },
    });
    expect(reads).toBe(3);
    expect(r.replaced).toBe(0);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.path).toBe(target);
    expect(r.problems[0]!.reason).toMatch(/^changed while it was being read, 3 times \(.+\); not recorded/u);
    // The old entry stays as it was: another size than on disk, so the next index reads it.
    expect(await file('download.part')).toEqual(before);
    const next = await indexFolder(store, collectionId, root);
    expect(next).toMatchObject({ replaced: 1, unchanged: 1, problems: [] });
    expect((await file('download.part')).size).toBe(fs.statSync(target).size);
  });

  it('refuses a root that is missing or not a folder', async () => {
    await expect(indexFolder(store, collectionId, path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'io' });
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'x');
    await expect(indexFolder(store, collectionId, path.join(dir, 'plain.txt'))).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
