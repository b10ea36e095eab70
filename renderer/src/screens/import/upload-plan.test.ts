import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../../shared/errors';
import { chunkPlan, toBase64 } from './upload-plan';
import { uploadFiles, type UploadTransport } from './upload-client';

describe('the upload chunking plan', () => {
  it('covers the file in consecutive chunks of at most the host\'s size', () => {
    expect(chunkPlan(0, 4)).toEqual([]);
    expect(chunkPlan(4, 4)).toEqual([{ offset: 0, length: 4 }]);
    expect(chunkPlan(10, 4)).toEqual([
      { offset: 0, length: 4 },
      { offset: 4, length: 4 },
      { offset: 8, length: 2 },
    ]);
    const big = chunkPlan(5 * 1024 * 1024 + 1, 1024 * 1024);
    expect(big).toHaveLength(6);
    expect(big.reduce((s, c) => s + c.length, 0)).toBe(5 * 1024 * 1024 + 1);
  });

  it('refuses sizes that are not byte counts', () => {
    expect(() => chunkPlan(-1, 4)).toThrow(RangeError);
    expect(() => chunkPlan(10, 0)).toThrow(RangeError);
    expect(() => chunkPlan(1.5, 4)).toThrow(RangeError);
  });

  it('encodes base64 as the host decodes it, past the slice size', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 7) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(toBase64(new Uint8Array())).toBe('');
  });
});

/** A host's upload store in memory: what arrives where, and what is discarded. */
function fakeHost(chunkBytes: number, failAt?: number) {
  const files = new Map<string, { name: string; data: Buffer; finished: boolean }>();
  const discarded: string[] = [];
  let next = 0;
  const transport: UploadTransport = {
    begin: async (name) => {
      const id = `u${next++}`;
      files.set(id, { name, data: Buffer.alloc(0), finished: false });
      return { uploadId: id, chunkBytes };
    },
    chunk: async (id, offset, data) => {
      const f = files.get(id)!;
      if (offset !== f.data.length) throw new StrataError('invalid-argument', 'out of order');
      if (failAt !== undefined && offset >= failAt) throw new StrataError('disk-full', 'The disk is full.');
      f.data = Buffer.concat([f.data, Buffer.from(data, 'base64')]);
      return { received: f.data.length };
    },
    finish: async (id) => {
      files.get(id)!.finished = true;
      return {};
    },
    discard: async (id) => {
      discarded.push(id);
      return {};
    },
  };
  return { files, discarded, transport };
}

describe('uploading files', () => {
  const blob = (name: string, size: number) => Object.assign(new Blob([new Uint8Array(size).map((_, i) => i % 251)]), { name });

  it('sends every byte in order, reports progress and returns the ids', async () => {
    const host = fakeHost(1000);
    const seen: number[] = [];
    const ids = await uploadFiles([blob('a.nzb', 2500), blob('b.nzb', 10)], host.transport, { signal: new AbortController().signal, onProgress: (p) => seen.push(p.sent) });
    expect(ids).toEqual(['u0', 'u1']);
    expect(host.files.get('u0')?.data.length).toBe(2500);
    expect(host.files.get('u0')?.data[2499]).toBe(2499 % 251);
    expect([...host.files.values()].every((f) => f.finished)).toBe(true);
    expect(seen.at(-1)).toBe(2510);
    expect(host.discarded).toEqual([]);
  });

  it('discards what was sent when a chunk fails or the user cancels', async () => {
    const host = fakeHost(1000, 1000);
    await expect(uploadFiles([blob('a.nzb', 2500)], host.transport, { signal: new AbortController().signal })).rejects.toMatchObject({ code: 'disk-full' });
    expect(host.discarded).toEqual(['u0']);
    const second = fakeHost(100);
    const controller = new AbortController();
    const run = uploadFiles([blob('a.nzb', 1000), blob('b.nzb', 1000)], second.transport, {
      signal: controller.signal,
      onProgress: (p) => p.sent >= 300 && controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(second.discarded).toEqual(['u0']);
  });
});
