/**
 * The wizard's and dashboard's additions to the handler map, over the real handlers and a real
 * SQLite catalog: the move preflight, the last backup in the manager's status, and the size of
 * the previous store that removing it frees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import type { StrataClient } from '../../../shared/ipc/client';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from '../manager/database-manager';
import { handlerClient, type HandlerClient } from './testing/handler-client';

describe('manager channels for the wizard and the dashboard', () => {
  let dir: string;
  let manager: DatabaseManager;
  let client: StrataClient;
  let connection: HandlerClient;
  beforeEach(async () => {
    dir = makeTempDir('manager-channels');
    manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    await manager.write('seed', async (store) => {
      const c = await store.createCollection({ name: 'Trial', source: 'nzb' });
      await store.ingest(c.id, generateCatalog({ segments: 20_000, seed: 7, batchSegments: 10_000 }));
    });
    connection = handlerClient(manager);
    client = connection.client;
  });
  afterEach(async () => {
    connection.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a preflight with the disk and time a move takes, changing nothing', async () => {
    const p = await client.call('migration/preflight', { to: 'sharded', shards: 2 });
    const stats = await client.call('catalog/stats', {});
    expect(p).toMatchObject({ kind: 'migrate', to: { engine: 'sharded', shards: 2 }, sourceBytes: stats.dbBytes, fits: true, refusal: null });
    expect(p.neededBytes).toBeGreaterThan(stats.dbBytes);
    expect(p.freeBytes).toBeGreaterThan(0);
    expect(p.rows).toBeGreaterThan(20_000);
    expect((await client.call('migration/preflight', { to: 'sqlite' })).refusal).toMatch(/already on/u);
    await expectCode(client.call('migration/preflight', { to: 'sqlite', url: 'postgresql://h/db' }), 'invalid-argument');
    expect((await client.call('manager/status', {})).interrupted).toBeNull();
  });

  it('records the last backup that succeeded in the status', async () => {
    expect((await client.call('manager/status', {})).lastBackup).toBeNull();
    const destination = path.join(dir, 'backup.db');
    const before = Date.now();
    const r = await client.call('catalog/backup', { destination });
    const status = await client.call('manager/status', {});
    expect(status.lastBackup).toMatchObject({ path: r.path, bytes: r.bytes });
    expect(status.lastBackup!.at).toBeGreaterThanOrEqual(before);
    // The settings are untouched by the record beside them.
    expect(await client.call('manager/settings', {})).toEqual(status.settings);
  });

  it('reports the previous store’s size after a move, and none once it is removed', async () => {
    expect((await client.call('manager/status', {})).previousBytes).toBeNull();
    await client.call('migration/start', { to: 'sharded', shards: 2 });
    const after = await client.call('manager/status', {});
    const file = path.join(dir, 'strata.db');
    expect(after.previous?.engine).toBe('sqlite');
    expect(after.previousBytes).toBeGreaterThanOrEqual(fs.statSync(file).size);
    await client.call('stores/remove-previous', {});
    expect(await client.call('manager/status', {})).toMatchObject({ previous: null, previousBytes: null });
  }, 60_000);

  it('keeps a detached move running when its caller goes away (a closed page), unlike an attached one', async () => {
    const attached = new AbortController();
    const stopped = client.call('migration/start', { to: 'sharded', shards: 2 }, { signal: attached.signal, onProgress: () => attached.abort() });
    await expectCode(stopped, 'cancelled');
    expect((await client.call('manager/status', {})).interrupted).toMatchObject({ paused: true });
    const detached = new AbortController();
    const result = await client.call('migration/start', { to: 'sharded', shards: 2, detach: true }, { signal: detached.signal, onProgress: () => detached.abort() });
    expect(detached.signal.aborted).toBe(true);
    expect(result).toMatchObject({ verified: true, to: { engine: 'sharded' } });
    expect((await client.call('manager/status', {})).store.engine).toBe('sharded');
  }, 60_000);
});
