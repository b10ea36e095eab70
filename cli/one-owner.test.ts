/**
 * One owner per data folder, as users hit it (issue 15, Found 1): a second `strata` process
 * beside a running import, re-shard, migration or `strata serve`. Real processes of the real
 * bin, real catalogs made by the project's generators; the second process must go through the
 * first (reads answered, writes during a move refused with `busy`) and nothing may be lost.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from '../shared/ipc/client';
import type { EventMap } from '../shared/ipc/contract';
import { makeTempDir } from '../electron/db/conformance/test-engines';
import { wsPort } from '../electron/db/ipc/ws-host';
import { writeGeneratedNzb } from '../scripts/generate/nzb-file-generator';
import { lastJson, progressIn, startStrata, strata, untilSocketOpen, whileFrozen } from './testing/strata-process';

const FIXTURE = path.resolve('../shared/fixtures/nzb/nzbget/plain.nzb');
const SEGMENTS = 120_000;

const errorOf = (text: string): { code: string; message: string } => lastJson(text).error as { code: string; message: string };

describe('one owner per data folder', () => {
  let root: string;
  beforeAll(() => {
    root = makeTempDir('owner-cli');
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a stats beside a 120k-segment import-nzb reads through the importer and the import keeps every file', async () => {
    const nzb = path.join(root, 'big.nzb');
    await writeGeneratedNzb(nzb, SEGMENTS, 7);
    const data = path.join(root, 'import');
    const importing = startStrata('import-nzb', nzb, '--collection', 'Imp', '--data', data, '--json');
    await importing.waitForStderr(progressIn('import'));
    const owner = JSON.parse(fs.readFileSync(path.join(data, 'owner.json'), 'utf8')) as Record<string, unknown>;
    expect(owner).toMatchObject({ pid: importing.child.pid, kind: 'cli', command: 'import-nzb' });
    // The window: a second process in the middle of the import removed its rows as a
    // crashed import's leftovers. Now it is a client of the importer.
    let connected = false;
    const stats = await whileFrozen(
      importing,
      () => startStrata('stats', '--data', data, '--json'),
      async (p) => {
        connected = await untilSocketOpen(p.child.pid);
      },
    );
    // It arrived mid-import (the importer was frozen before its result) and talked to it.
    expect(importing.stdout()).toBe('');
    const during = await stats.exited;
    expect(during.code).toBe(0);
    expect(lastJson(during.stdout).segments as number).toBeLessThanOrEqual(SEGMENTS);
    const done = await importing.exited;
    expect(done.code).toBe(0);
    const imported = lastJson(done.stdout);
    expect(imported).toMatchObject({ imported: 1, failed: 0, segments: SEGMENTS });
    const after = lastJson((await strata('stats', '--data', data, '--json')).stdout);
    expect(after).toMatchObject({ files: imported.files, segments: SEGMENTS });
    expect(lastJson((await strata('check', '--data', data, '--json')).stdout)).toMatchObject({ ok: true });
    // The owner left nothing behind when it ended; the stats talked to it over its endpoint.
    expect(fs.existsSync(path.join(data, 'owner.json'))).toBe(false);
    expect(connected).toBe(true);
  }, 480_000);

  it('a stats and an import-nzb beside a reshard 4 -> 8 go through the resharder: no shard deleted, no segment lost', async () => {
    const data = path.join(root, 'reshard');
    expect((await strata('generate', '--engine', 'sharded', '--shards', '4', '--segments', String(SEGMENTS), '--data', data, '--json')).code).toBe(0);
    const resharding = startStrata('reshard', '--shards', '8', '--data', data, '--json');
    await resharding.waitForStderr(progressIn('copy'));
    let connected: boolean[] = [];
    const [statsRun, lateRun] = await whileFrozen(
      resharding,
      () => [startStrata('stats', '--tables', '--data', data, '--json'), startStrata('import-nzb', FIXTURE, '--collection', 'Late', '--data', data, '--json')] as const,
      async (ps) => {
        connected = await Promise.all(ps.map((p) => untilSocketOpen(p.child.pid)));
      },
    );
    expect(resharding.stdout()).toBe('');
    const stats = await statsRun.exited;
    expect(stats.code).toBe(0);
    expect(lastJson(stats.stdout)).toMatchObject({ segments: SEGMENTS });
    // The import is refused with the resharder's busy message while the copy runs; on a slow
    // machine its import call may reach the owner only after the switch, and then it imports
    // for real. Either way nothing is lost: the final count adds up.
    const late = await lateRun.exited;
    let lateSegments = 0;
    if (late.code === 0) lateSegments = (lastJson(late.stdout) as { segments: number }).segments;
    else expect(errorOf(late.stdout).code).toBe('busy');
    const done = await resharding.exited;
    expect(done.code).toBe(0);
    expect(lastJson(done.stdout)).toMatchObject({ from: 4, to: 8, verified: true });
    const after = lastJson((await strata('stats', '--tables', '--data', data, '--json')).stdout) as { segments: number; shards: { problem?: string | null }[] };
    expect(after.segments).toBe(SEGMENTS + lateSegments);
    expect(after.shards).toHaveLength(8);
    expect(after.shards.every((s) => !s.problem)).toBe(true);
    expect(lastJson((await strata('check', '--data', data, '--json')).stdout)).toMatchObject({ ok: true });
    expect(connected.every(Boolean)).toBe(true);
  }, 480_000);

  it('writes from another process during a migration are refused with busy, and the copy is kept', async () => {
    const data = path.join(root, 'migrate');
    expect((await strata('generate', '--segments', String(SEGMENTS), '--data', data, '--json')).code).toBe(0);
    const moving = startStrata('migrate', '--to', 'sharded', '--data', data, '--json');
    await moving.waitForStderr(progressIn('copy'));
    let connected: boolean[] = [];
    const [createRun, importRun, searchRun] = await whileFrozen(
      moving,
      () =>
        [
          startStrata('collections', 'create', 'Sneaky', '--data', data, '--json'),
          startStrata('import-nzb', FIXTURE, '--collection', 'Generated', '--data', data, '--json'),
          startStrata('search', 'flac', '--limit', '3', '--data', data, '--json'),
        ] as const,
      async (ps) => {
        connected = await Promise.all(ps.map((p) => untilSocketOpen(p.child.pid)));
      },
    );
    expect(moving.stdout()).toBe('');
    const create = await createRun.exited;
    expect(create.code).toBe(1);
    expect(errorOf(create.stdout)).toMatchObject({ code: 'busy' });
    expect(errorOf(create.stdout).message).toMatch(/moving to sharded/u);
    expect(errorOf((await importRun.exited).stdout).code).toBe('busy');
    // Reading goes on meanwhile.
    expect((await searchRun.exited).code).toBe(0);
    const done = await moving.exited;
    expect(done.code).toBe(0);
    expect(lastJson(done.stdout)).toMatchObject({ verified: true, to: { engine: 'sharded' } });
    const list = lastJson((await strata('collections', 'list', '--data', data, '--json')).stdout) as { collections: { name: string }[] };
    expect(list.collections.map((c) => c.name)).toEqual(['Generated']);
    expect(lastJson((await strata('stats', '--data', data, '--json')).stdout)).toMatchObject({ engine: 'sharded', segments: SEGMENTS });
    expect(connected.every(Boolean)).toBe(true);
  }, 480_000);

  it('beside strata serve, the CLI migrates the host\'s catalog (progress on both, Ctrl+C pauses it) and the host serves the new store', async () => {
    const data = path.join(root, 'serve');
    expect((await strata('generate', '--segments', '100000', '--data', data, '--json')).code).toBe(0);
    const host = startStrata('serve', '--port', '0', '--data', data, '--json');
    const started = JSON.parse(await host.waitForStdout((l) => l.startsWith('{'))) as { ws: string; url: string };
    try {
      const socket = new WebSocket(started.ws, { origin: started.url });
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      const client = createClient(wsPort(socket));
      const progress: EventMap['migration/progress'][] = [];
      const changes: EventMap['manager/store-changed'][] = [];
      client.on('migration/progress', (p) => progress.push(p));
      client.on('manager/store-changed', (c) => changes.push(c));

      // What needs the folder to itself is refused, naming the owner.
      const generate = await strata('generate', '--segments', '10', '--data', data, '--json');
      expect(generate.code).toBe(1);
      expect(errorOf(generate.stdout).code).toBe('db-locked');
      expect(errorOf(generate.stdout).message).toContain(`strata serve (pid ${host.child.pid ?? 0}`);
      const second = await strata('serve', '--port', '0', '--data', data, '--json');
      expect(errorOf(second.stdout).code).toBe('db-locked');

      // Ctrl+C in the CLI pauses the host's move at its checkpoint; --discard removes the copy.
      const interrupted = startStrata('migrate', '--to', 'sharded', '--data', data, '--json');
      await interrupted.waitForStderr(progressIn('copy'));
      interrupted.child.kill('SIGINT');
      const paused = await interrupted.exited;
      expect(paused.code).toBe(1);
      expect(errorOf(paused.stdout).code).toBe('cancelled');
      expect((await client.call('manager/status', {})).interrupted).toMatchObject({ paused: true, to: { engine: 'sharded' } });
      const discard = await strata('migrate', '--discard', '--yes', '--data', data, '--json');
      expect(lastJson(discard.stdout).discarded).toMatchObject({ engine: 'sharded' });
      progress.length = 0;

      const moved = await strata('migrate', '--to', 'sharded', '--data', data, '--json');
      expect(moved.code).toBe(0);
      expect(lastJson(moved.stdout)).toMatchObject({ verified: true, from: { engine: 'sqlite' }, to: { engine: 'sharded' } });
      expect(moved.stderr.split('\n').some(progressIn('copy'))).toBe(true);
      expect(progress.some((p) => p.phase === 'copy')).toBe(true);
      expect(changes.at(-1)).toMatchObject({ reason: 'migrated', store: { engine: 'sharded' } });

      const created = await client.call('collections/create', { name: 'After the move', source: 'local' });
      expect((await client.call('catalog/stats', {})).engine).toBe('sharded');
      client.close();
      socket.close();
      expect(created.name).toBe('After the move');
    } finally {
      host.child.kill('SIGTERM');
      await host.exited;
    }
    // With the host gone, the CLI opens the folder itself: the active store has the collection.
    expect(lastJson((await strata('stats', '--data', data, '--json')).stdout)).toMatchObject({ engine: 'sharded', collections: 2 });
    const list = lastJson((await strata('collections', 'list', '--data', data, '--json')).stdout) as { collections: { name: string }[] };
    expect(list.collections.map((c) => c.name).sort()).toEqual(['After the move', 'Generated']);
  }, 480_000);
});
