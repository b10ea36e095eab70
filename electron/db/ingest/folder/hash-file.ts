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
  contentHash: string;
  segments: IngestSegment[];
}

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

  async hash(file: string, signal?: AbortSignal): Promise<FileHashes> {
    const handle = await fs.open(file, 'r');
    try {
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
      return { size: position, contentHash: this.treeHash(position, segments), segments };
    } finally {
      await handle.close();
    }
  }
}
