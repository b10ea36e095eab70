/**
 * The store on the portable server as the app uses it: the server starts with the store,
 * comes back by itself when it is killed under the app with every committed row intact, and
 * stops when the store closes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { segmentsOf } from '../../conformance/fixtures';
import type { CatalogStore } from '../../store';
import { openPortablePostgresStore } from './portable-store';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const postmasterPid = (dataDir: string): number => Number(fs.readFileSync(path.join(dataDir, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('a store on the portable server', () => {
  let dataDir: string;
  let store: CatalogStore | null = null;
  afterEach(async () => {
    await store?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('restarts a server killed under it, keeps every committed row, and stops it on close', async () => {
    dataDir = makeTempDir('portable-store');
    store = await openPortablePostgresStore(dataDir, { database: 'strata' });
    const c = await store.createCollection({ name: 'Kept', source: 'nzb' });
    await store.ingest(c.id, [{ files: [{ path: 'a.bin', size: 3 * 768_000, segments: segmentsOf(3) }] }]);
    const first = postmasterPid(dataDir);
    process.kill(first, 'SIGKILL');
    // The store notices the exit and starts a new postmaster (crash recovery included).
    let second = first;
    for (let i = 0; i < 240 && (second === first || !alive(second)); i++) {
      await new Promise((r) => setTimeout(r, 250));
      try {
        second = postmasterPid(dataDir);
      } catch {
        // Between the old pid file's removal and the new one's writing.
      }
    }
    expect(second).not.toBe(first);
    // Pooled connections to the dead server's backends fail once; the pool then reconnects.
    let collections = null;
    for (let i = 0; i < 40 && collections === null; i++) {
      collections = await store.listCollections().catch(() => null);
      if (collections === null) await new Promise((r) => setTimeout(r, 250));
    }
    expect(collections?.map((x) => x.name)).toEqual(['Kept']);
    expect((await store.stats()).segments).toBe(3);
    await store.ingest(c.id, [{ files: [{ path: 'b.bin', size: 768_000, segments: segmentsOf(1) }] }]);
    expect((await store.stats()).segments).toBe(4);
    await store.close();
    store = null;
    expect(alive(second)).toBe(false);
  }, 120_000);
});
