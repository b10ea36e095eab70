/**
 * Reads a file once and hashes every byte once, as it streams: XXH3-64 per segment (the unit
 * that is posted and checked). The file's content hash is XXH3-128 over its size and its
 * segment hashes in order (a one-level hash tree): it changes whenever any byte changes, and
 * costs nothing extra per byte, which measured the difference between indexing at disk speed
 * and not (docs/benchmarks.md). Two buffers alternate so the next read is in flight while
 * the current one is hashed.
 */
import fs from 'node:fs/promises';
import { createXXHash128, createXXHash3, type IHasher } from 'hash-wasm';
import { StrataError } from '../../../../shared/errors';
import type { IngestSegment } from '../../store';

export interface FileHashes {
  size: number;
  /** Modification time (ms) of the content that was read, taken before reading it. */
  mtime: number;
  contentHash: string;
  segments: IngestSegment[];
  /**
   * Why the bytes read may not be the file as it is (written, truncated or replaced while it
   * was read), or null when the file stayed the same from the first byte to the last.
   */
  changed: string | null;
}

/** Called once per read of a file, after its first buffer: lets a test change the file mid-read. */
export type DuringRead = (file: string) => Promise<void> | void;

/** Segments per read; reads are whole multiples of the segment size. */
const SEGMENTS_PER_READ = 8;

export class FileHasher {
  private constructor(
    private readonly segmentHasher: IHasher,
    private readonly contentHasher: IHasher,
    private readonly segmentBytes: number,
    private readonly buffers: [Buffer, Buffer],
  ) {}

  static async create(segmentBytes: number): Promise<FileHasher> {
    const size = segmentBytes * SEGMENTS_PER_READ;
    return new FileHasher(await createXXHash3(), await createXXHash128(), segmentBytes, [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)]);
  }

  private treeHash(size: number, segments: IngestSegment[]): string {
    this.contentHasher.init();
    this.contentHasher.update(`${size}:${this.segmentBytes}:`);
    for (const s of segments) this.contentHasher.update(s.hash as string);
    return this.contentHasher.digest('hex');
  }

  async hash(file: string, signal?: AbortSignal, duringRead?: DuringRead): Promise<FileHashes> {
    const handle = await fs.open(file, 'r');
    try {
      const before = await handle.stat();
      let first = true;
      this.segmentHasher.init();
      const segments: IngestSegment[] = [];
      let inSegment = 0;
      let position = 0;
      let which = 0;
      let pending = handle.read(this.buffers[0], 0, this.buffers[0].length, 0);
      for (;;) {
        const { bytesRead } = await pending;
        if (bytesRead === 0) break;
        const buffer = this.buffers[which] as Buffer;
        position += bytesRead;
        which ^= 1;
        const next = this.buffers[which] as Buffer;
        pending = handle.read(next, 0, next.length, position);
        if (signal?.aborted) {
          await pending.catch(() => undefined);
          throw new StrataError('cancelled', 'Indexing was cancelled.');
        }
        if (first && duringRead) await duringRead(file);
        first = false;
        const chunk = buffer.subarray(0, bytesRead);
        let offset = 0;
        while (offset < chunk.length) {
          const take = Math.min(this.segmentBytes - inSegment, chunk.length - offset);
          this.segmentHasher.update(chunk.subarray(offset, offset + take));
          inSegment += take;
          offset += take;
          if (inSegment === this.segmentBytes) {
            segments.push({ number: segments.length + 1, bytes: inSegment, hash: this.segmentHasher.digest('hex') });
            this.segmentHasher.init();
            inSegment = 0;
          }
        }
      }
      // An empty file still gets one (empty) segment, so it is catalogued and can be posted.
      if (inSegment > 0 || segments.length === 0) {
        segments.push({ number: segments.length + 1, bytes: inSegment, hash: this.segmentHasher.digest('hex') });
      }
      const after = await handle.stat();
      // The path may name another file by now (saved by rename-over); what was read is then stale too.
      const now = await fs.stat(file).catch(() => null);
      return {
        size: position,
        mtime: Math.floor(before.mtimeMs),
        contentHash: this.treeHash(position, segments),
        segments,
        changed: changeWhileRead(before, after, now, position),
      };
    } finally {
      await handle.close();
    }
  }
}

interface StatLike {
  size: number;
  mtimeMs: number;
  ino: number;
  dev: number;
}

/** Why a read cannot be trusted as the file's content, or null. */
function changeWhileRead(before: StatLike, after: StatLike, now: StatLike | null, read: number): string | null {
  if (read !== before.size) return `${read < before.size ? 'shorter' : 'longer'} than it was when opened (${read} bytes read, ${before.size} expected)`;
  if (after.size !== before.size) return `its size changed from ${before.size} to ${after.size} bytes while it was read`;
  if (after.mtimeMs !== before.mtimeMs) return 'it was written to while it was read';
  if (now === null) return 'it was removed while it was read';
  if (now.ino !== before.ino || now.dev !== before.dev) return 'it was replaced by another file while it was read';
  if (now.size !== before.size || now.mtimeMs !== before.mtimeMs) return 'it changed right after it was read';
  return null;
}
