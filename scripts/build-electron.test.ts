/**
 * The packaged layout, for every tier: build-electron writes the bundles into a folder of their
 * own (a temporary copy of out/, with node_modules beside it as in the packaged app and no
 * sources anywhere near), and the bundled database process runs under plain Node (no tsx)
 * through the real IPC channel: an NZB imported (the parse worker), a move to sharded SQLite
 * and an import into it (the shard writers), a move to PGlite and one to the portable
 * PostgreSQL server, each read back with the same counts and the same search answer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type StrataClient } from '../shared/ipc/client';
import { makeTempDir } from '../electron/db/conformance/test-engines';
import { childProcessPort } from '../electron/db/ipc/ports';
import { REPO_RESOURCES } from '../electron/db/portable-server/test-server-setup';
import { WORKER_ENTRIES } from '../electron/db/worker-entries';
import { buildElectron } from './build-electron';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(ROOT, '..', 'shared', 'fixtures', 'nzb');

describe('the bundled database process', () => {
  let dir: string;
  let child: ChildProcess;
  let client: StrataClient;
  let stderr = '';

  beforeAll(async () => {
    dir = makeTempDir('bundle-layout');
    // The portable server runs as an unprivileged account when the tests run as root: it must pass through.
    fs.chmodSync(dir, 0o711);
    const app = path.join(dir, 'app');
    await buildElectron(path.join(app, 'out'));
    // The packaged app's shape: the bundles, and node_modules for the native modules they keep external.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'junction');
    child = fork(path.join(app, 'out', 'db', 'database-process.js'), ['--data', path.join(dir, 'data')], {
      cwd: dir,
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: { ...process.env, STRATA_POSTGRES_RESOURCES: REPO_RESOURCES, NODE_OPTIONS: '' },
    });
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    client = createClient(childProcessPort(child));
  }, 120_000);

  afterAll(async () => {
    client.close();
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes every worker entry beside the database process', () => {
    const db = path.join(dir, 'app', 'out', 'db');
    for (const name of ['database-process', ...Object.keys(WORKER_ENTRIES)]) expect(fs.existsSync(path.join(db, `${name}.js`)), name).toBe(true);
  });

  it('imports, moves to sharded, imports there, then moves to PGlite and the portable server, reading the same catalog back on each', async () => {
    const readBack = async (): Promise<{ engine: string; files: number; segments: number; hits: string[] }> => {
      const stats = await client.call('catalog/stats', {});
      const hits = (await client.call('search/query', { query: 'ubuntu' })).hits.map((h) => h.file.name).sort();
      return { engine: stats.engine, files: stats.files, segments: stats.segments, hits };
    };
    const { id } = await client.call('collections/create', { name: 'Bundled', source: 'nzb' });
    expect((await client.call('nzb/import', { collectionId: id, paths: [path.join(FIXTURES, 'nzbget', 'plain.nzb')] })).imported, stderr).toBe(1);
    const first = await readBack();
    expect(first.files).toBeGreaterThan(0);
    expect(first.hits.length).toBeGreaterThan(0);

    await client.call('migration/start', { to: 'sharded', shards: 2 });
    expect(await readBack()).toEqual({ ...first, engine: 'sharded' });
    // Writes into the shards go through the bundled shard-writer workers.
    const second = await client.call('nzb/import', { collectionId: id, paths: [path.join(FIXTURES, 'ravencentric', 'one_rar_file.nzb')] });
    expect(second.imported, JSON.stringify(second.results)).toBe(1);
    const sharded = await readBack();
    expect(sharded.segments).toBe(first.segments + second.segments);

    await client.call('migration/start', { to: 'pglite' });
    expect(await readBack()).toEqual({ ...sharded, engine: 'pglite' });
    await client.call('migration/start', { to: 'postgres' });
    expect(await readBack()).toEqual({ ...sharded, engine: 'postgres' });
  }, 600_000);
});
