import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { expectCode } from '../conformance/expect-code';
import type { IngestBatch } from '../store';
import { CheckedStore } from './checked-store';
import type { EngineCore, IngestSession } from './engine-core';

/** A core that records what reached it; the engines themselves run in the conformance suite. */
function fakeCore(session?: Partial<IngestSession>): { core: EngineCore; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const values: Record<string, unknown> = {
    location: 'fake',
    backupLayout: 'file',
    capabilities: {},
    mapError: (error: unknown) => (error instanceof Error && error.message === 'driver' ? new StrataError('db-locked', 'mapped') : error),
    startIngest: async () => ({ readAhead: false, prepare: (b: IngestBatch) => b, write: async (b: IngestBatch) => ({ files: b.files.length, segments: 1, bytes: 2, skippedFiles: 0, replacedFiles: 0 }), knownSources: () => ({}), ...session }),
    getFile: async () => {
      throw new Error('driver');
    },
  };
  const core = new Proxy(values, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'reshard' || key === 'repair' || key === 'streamTableText' || key === 'openLoader' || key === 'digestTable') return target[key as string];
      return async (...args: unknown[]) => {
        calls.push([key, ...args]);
        return null;
      };
    },
  });
  return { core: core as unknown as EngineCore, calls };
}

const batch = (n: number): IngestBatch => ({ files: Array.from({ length: n }, (_, i) => ({ path: `f${i}`, size: 1, segments: [] })) });

describe('CheckedStore', () => {
  it('hands the core checked, normalized arguments and refuses bad ones before it', async () => {
    const { core, calls } = fakeCore();
    const store = new CheckedStore(core);
    await store.renameCollection(3, '  Movies  ');
    await store.listFiles({ collectionId: 3 });
    await store.search({ query: 'dune' });
    expect(calls[0]).toEqual(['renameCollection', 3, 'Movies']);
    expect(calls[1]).toEqual(['listFiles', { collectionId: 3, folderId: null, state: null, sort: 'name', direction: 'asc', limit: 200, offset: 0, cursor: null }]);
    expect(calls[2]?.[1]).toMatchObject({ collectionId: null, state: null, limit: 50, offset: 0 });
    await expectCode(store.getCollection(0), 'invalid-argument');
    await expectCode(store.listFolders({ collectionId: 1, limit: 1001 }), 'invalid-argument');
    await expectCode(store.deleteFiles([]), 'invalid-argument');
    expect(calls).toHaveLength(3);
  });

  it('maps the core errors, refuses calls once closed, and has only the capabilities the core has', async () => {
    const { core } = fakeCore();
    const store = new CheckedStore(core);
    expect((await expectCode(store.getFile(1), 'db-locked')).message).toBe('mapped');
    expect(store.reshard).toBeUndefined();
    expect('repair' in store).toBe(false);
    await store.close();
    await expectCode(store.listCollections(), 'closed');
  });

  it('counts committed batches and stops at the abort signal between them', async () => {
    const controller = new AbortController();
    let released = false;
    const { core } = fakeCore({ release: async () => void (released = true) });
    const store = new CheckedStore(core);
    const seen: number[] = [];
    function* batches(): Generator<IngestBatch> {
      yield batch(2);
      yield batch(3);
      controller.abort();
      yield batch(4);
    }
    const error = await expectCode(store.ingest(1, batches(), { signal: controller.signal, onProgress: (p) => seen.push(p.files) }), 'cancelled');
    expect(seen).toEqual([2, 5]);
    expect(error.details).toMatchObject({ batches: 2, files: 5, segments: 2, bytes: 4 });
    expect(released).toBe(true);
  });
});
