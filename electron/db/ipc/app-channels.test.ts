/**
 * The settings and first-run channels over the real handler map and an in-memory port pair:
 * app/info, catalog/sample (progress, names, bounds, cancel) and server/portable-status.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { SAMPLE_MAX_SEGMENTS } from '../../../shared/ipc/app-schemas';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from '../manager/database-manager';
import { sampleName } from '../app/sample-catalog';
import { portableDatabaseOf } from '../portable-server/portable-status';
import { serve } from './dispatcher';
import { createHandlers } from './handlers';
import { confinedPolicy } from './host-policy';
import { messagePort } from './ports';
import { handlerClient, type HandlerClient } from './testing/handler-client';

describe('settings and first-run channels', () => {
  let dir: string;
  let manager: DatabaseManager;
  let client: StrataClient;
  let connection: HandlerClient;
  beforeEach(async () => {
    dir = makeTempDir('app-channels');
    manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    connection = handlerClient(manager);
    client = connection.client;
  });
  afterEach(async () => {
    connection.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('app/info names the data folder and the version', async () => {
    const info = await client.call('app/info', {});
    expect(info.dataDir).toBe(dir);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/u);
    expect(info.importRoots).toBeNull();
  });

  it('app/info names the folders a confined host may import from', async () => {
    const roots = fs.mkdtempSync(path.join(dir, 'allowed-'));
    const other = new MessageChannel();
    serve(messagePort(other.port1), createHandlers(manager, confinedPolicy([roots])));
    const confined = createClient(messagePort(other.port2));
    try {
      expect((await confined.call('app/info', {})).importRoots).toEqual([fs.realpathSync(roots)]);
    } finally {
      confined.close();
      other.port1.close();
      other.port2.close();
    }
  });

  it('catalog/sample fills a new collection with progress, and names a second one apart', async () => {
    const progress: Record<string, unknown>[] = [];
    const first = await client.call('catalog/sample', { segments: 20_000 }, { onProgress: (p) => progress.push(p) });
    expect(first.collection).toMatchObject({ name: 'Sample catalog', source: 'nzb', segmentCount: 20_000 });
    expect(first.files).toBeGreaterThan(10);
    expect(first.segments).toBe(20_000);
    expect(progress.at(-1)).toMatchObject({ total: 20_000 });
    const second = await client.call('catalog/sample', { segments: 500 });
    expect(second.collection.name).toBe('Sample catalog 2');
    expect(await client.call('catalog/stats', {})).toMatchObject({ collections: 2, segments: 20_500 });
  });

  it('catalog/sample refuses a sample past its bound and leaves nothing when cancelled', async () => {
    await expectCode(client.call('catalog/sample', { segments: SAMPLE_MAX_SEGMENTS + 1 }), 'invalid-argument');
    const controller = new AbortController();
    const call = client.call('catalog/sample', { segments: SAMPLE_MAX_SEGMENTS }, { signal: controller.signal, onProgress: () => controller.abort() });
    await expectCode(call, 'cancelled');
    expect(await client.call('collections/list', {})).toEqual([]);
  });

  it('server/portable-status reads the server files and masks the password unless revealed', async () => {
    const none = await client.call('server/portable-status', {});
    expect(none).toMatchObject({ installed: false, running: false, inUse: false, port: null, connectionString: null, revealed: false });
    expect(none.dataFolder).toBe(path.join(dir, 'postgres'));
    // The files a set-up server leaves (no process runs: a stale pid file says nothing).
    fs.mkdirSync(path.join(dir, 'postgres', 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'postgres', 'data', 'PG_VERSION'), '18\n');
    fs.writeFileSync(path.join(dir, 'postgres', 'data', 'postmaster.pid'), `999999\n${dir}\n0\n54329\n`);
    fs.writeFileSync(path.join(dir, 'postgres', 'superuser-password'), 's3cr3t-pw\n');
    fs.writeFileSync(path.join(dir, 'postgres', 'server.json'), '{"port":54321}\n');
    const masked = await client.call('server/portable-status', {});
    expect(masked).toMatchObject({ installed: true, running: false, port: 54321, version: '18', revealed: false });
    expect(masked.connectionString).toBe('postgres://strata:********@127.0.0.1:54321/strata');
    const shown = await client.call('server/portable-status', { reveal: true });
    expect(shown.connectionString).toBe('postgres://strata:s3cr3t-pw@127.0.0.1:54321/strata');
    expect(shown.revealed).toBe(true);
  });
});

describe('sample names and portable databases', () => {
  it('numbers samples after the first, ignoring case', () => {
    expect(sampleName(new Set())).toBe('Sample catalog');
    expect(sampleName(new Set(['sample CATALOG', 'Sample catalog 2']))).toBe('Sample catalog 3');
  });
  it('takes the database of a portable store from its location', () => {
    expect(portableDatabaseOf({ engine: 'postgres', server: 'portable', location: 'postgres#strata_ab12' })).toBe('strata_ab12');
    expect(portableDatabaseOf({ engine: 'postgres', server: 'existing', location: 'db.example/x' })).toBe('strata');
    expect(portableDatabaseOf({ engine: 'sqlite', server: null, location: 'strata.db' })).toBe('strata');
  });
});
