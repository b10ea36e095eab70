/**
 * The handler map over real transports: an in-memory MessagePort pair, a forked database
 * process (call, progress, cancel, crash and restart) and hostile messages.
 */
import { getEventListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { writeGeneratedNzb } from '../../../scripts/generate/nzb-file-generator';
import { Rng } from '../../../scripts/generate/rng';
import { StrataError } from '../../../shared/errors';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import type { EventMap } from '../../../shared/ipc/contract';
import { serverMessage } from '../../../shared/ipc/protocol';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { SqliteStore } from '../engines/sqlite/sqlite-store';
import { DatabaseSupervisor } from '../supervisor/database-supervisor';
import { forkDatabase } from '../supervisor/node-child';
import { DatabaseManager } from '../manager/database-manager';
import { messagePort } from './ports';
import { handlerClient, type HandlerClient } from './testing/handler-client';

describe('handler map over an in-memory port pair', () => {
  let dir: string;
  let manager: DatabaseManager;
  let client: StrataClient;
  let connection: HandlerClient;
  beforeEach(async () => {
    dir = makeTempDir('ipc');
    manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    connection = handlerClient(manager);
    client = connection.client;
  });
  afterEach(async () => {
    connection.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers calls with typed results and errors in the one shape', async () => {
    const c = await client.call('collections/create', { name: 'Films', source: 'nzb' });
    expect(c).toMatchObject({ name: 'Films', fileCount: 0 });
    expect((await client.call('collections/list', {})).map((x) => x.name)).toEqual(['Films']);
    const error = await expectCode(client.call('collections/create', { name: 'films', source: 'nzb' }), 'conflict');
    expect(error.message).toMatch(/already exists/u);
    expect(await client.call('catalog/stats', {})).toMatchObject({ tier: 1, engine: 'sqlite', collections: 1 });
  });

  it('refuses malformed arguments and unknown operations before any handler runs', async () => {
    await expectCode(client.call('collections/create', { name: 'x', source: 'ftp' } as never), 'invalid-argument');
    await expectCode(client.call('files/get', { fileId: -3 }), 'invalid-argument');
    await expectCode(client.call('collections/list', { extra: true } as never), 'invalid-argument');
    await expectCode(client.call('nope/nothing' as never, {} as never), 'invalid-argument');
    expect(await client.call('collections/list', {})).toEqual([]);
  });

  it('answers a call sent without arguments, or with a channel name too long, instead of leaving it waiting', async () => {
    // Found by the host fuzzer: JSON drops an undefined `args`, and the call was dropped unanswered.
    const error = await expectCode(client.call('migration/preflight', undefined as never), 'invalid-argument');
    expect(error.message).toMatch(/arguments/u);
    await expectCode(client.call('x'.repeat(101) as never, {} as never), 'invalid-argument');
    expect(await client.call('collections/list', {})).toEqual([]);
  });

  it('streams progress of a long call and cancels it on request, keeping nothing of it', async () => {
    const nzb = path.join(dir, 'big.nzb');
    await writeGeneratedNzb(nzb, 160_000, 4);
    const c = await client.call('collections/create', { name: 'C', source: 'nzb' });
    const controller = new AbortController();
    const progress: Record<string, unknown>[] = [];
    const call = client.call(
      'nzb/import',
      { collectionId: c.id, paths: [nzb] },
      {
        signal: controller.signal,
        onProgress: (p) => {
          progress.push(p);
          controller.abort();
        },
      },
    );
    const r = await call;
    expect(progress.length).toBeGreaterThan(0);
    expect(r).toMatchObject({ imported: 0, failed: 1 });
    expect(await client.call('catalog/stats', {})).toMatchObject({ segments: 0 });
    const whole = await client.call('nzb/import', { collectionId: c.id, paths: [nzb] });
    expect(whole).toMatchObject({ imported: 1, segments: 160_000 });
  });

  it('survives hostile messages and keeps answering', async () => {
    const answers: unknown[] = [];
    connection.clientPort.on('message', (m) => answers.push(m));
    const rng = new Rng(99);
    const junk = (): unknown => {
      switch (rng.int(0, 9)) {
        case 0:
          return null;
        case 1:
          return 'call';
        case 2:
          return { t: 'call' };
        case 3:
          return { t: 'call', id: -1, channel: 'collections/list', args: {} };
        case 4:
          return { t: 'call', id: rng.int(1_000, 2_000), channel: 'files/get', args: { fileId: rng.next() * 1e20 } };
        case 5:
          return { t: 'call', id: rng.int(2_000, 3_000), channel: '__proto__', args: {} };
        case 6:
          return { t: 'call', id: rng.int(3_000, 4_000), channel: 'search/query', args: { query: 'x'.repeat(rng.int(0, 5_000)) } };
        case 7:
          return { t: 'cancel', id: 'all' };
        case 8:
          return { t: 'call', id: rng.int(4_000, 5_000), channel: 'collections/create', args: { name: { toString: 1 }, source: 'nzb' } };
        default:
          return [1, 2, 3];
      }
    };
    for (let i = 0; i < 2_000; i++) connection.clientPort.postMessage(junk());
    expect(await client.call('collections/list', {})).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    // Every answer is a well-formed server message; none is a success for a malformed call.
    for (const a of answers) {
      const parsed = serverMessage.safeParse(a);
      expect(parsed.success).toBe(true);
      // The only well-formed calls in the junk list collections or search for x's.
      if (parsed.success && parsed.data.t === 'result') expect([[], { hits: [], nextOffset: null }]).toContainEqual(parsed.data.result);
    }
    expect(answers.some((a) => (a as { t?: string }).t === 'error')).toBe(true);
  });
});

describe('the client', () => {
  it('refuses an answer that does not have its channel\'s result shape', async () => {
    const channel = new MessageChannel();
    const server = messagePort(channel.port1);
    server.onMessage((m) => {
      const call = m as { id: number };
      server.send({ t: 'result', id: call.id, result: [{ id: 'one', name: 42 }] });
    });
    const client = createClient(messagePort(channel.port2));
    const error = await expectCode(client.call('collections/list', {}), 'internal');
    expect(error.message).toMatch(/did not have the expected shape/u);
    client.close();
    channel.port1.close();
    channel.port2.close();
  });

  it('keeps no cancel listener on a signal after its call is answered, and cancels only the call still waiting', async () => {
    const channel = new MessageChannel();
    const server = messagePort(channel.port1);
    const cancels: unknown[] = [];
    let held: number | null = null;
    server.onMessage((m) => {
      const message = m as { t: string; id: unknown; channel?: string };
      if (message.t === 'cancel') cancels.push(message.id);
      else if (held === null && message.channel === 'files/get') held = message.id as number;
      else server.send({ t: 'result', id: message.id, result: [] });
    });
    const client = createClient(messagePort(channel.port2));
    // One signal for many calls, the way the library's pager reads its pages.
    const controller = new AbortController();
    for (let i = 0; i < 5; i++) await client.call('collections/list', {}, { signal: controller.signal });
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const waiting = client.call('files/get', { fileId: 1 }, { signal: controller.signal });
    await vi.waitFor(() => expect(held).not.toBeNull());
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    controller.abort();
    await vi.waitFor(() => expect(cancels).toEqual([held]));
    client.close();
    await expectCode(waiting, 'closed');
    channel.port1.close();
    channel.port2.close();
  });
});

describe('the database process, forked and supervised', () => {
  let dir: string;
  let supervisor: DatabaseSupervisor;
  let client: StrataClient;
  const statuses: EventMap['db/status'][] = [];
  const waitFor = async (predicate: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 300; i++) {
      if (predicate()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  beforeEach(() => {
    dir = makeTempDir('dbproc');
    statuses.length = 0;
    supervisor = new DatabaseSupervisor(dir, forkDatabase);
    client = createClient(supervisor.port());
    client.on('db/status', (s) => statuses.push(s));
    supervisor.start();
  });
  afterEach(async () => {
    await supervisor.stop();
    client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves calls through the real IPC protocol and stops cleanly', async () => {
    await waitFor(() => statuses.some((s) => s.state === 'ready'), 'ready');
    await client.call('collections/create', { name: 'Kept', source: 'local' });
    expect((await client.call('catalog/stats', {})).collections).toBe(1);
    await supervisor.stop();
    expect(statuses.at(-1)?.state).toBe('stopped');
    // The clean stop checkpointed the WAL: the data is in the file itself.
    const reopened = await SqliteStore.open(path.join(dir, 'strata.db'));
    expect((await reopened.listCollections()).map((c) => c.name)).toEqual(['Kept']);
    await reopened.close();
  });

  it('fails the call in flight when the process dies, restarts it, and keeps committed data', async () => {
    await waitFor(() => statuses.some((s) => s.state === 'ready'), 'ready');
    const c = await client.call('collections/create', { name: 'C', source: 'nzb' });
    const nzb = path.join(dir, 'big.nzb');
    await writeGeneratedNzb(nzb, 300_000, 9);
    const firstPid = supervisor.pid;
    const call = client.call('nzb/import', { collectionId: c.id, paths: [nzb] }, { onProgress: () => process.kill(firstPid!, 'SIGKILL') });
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StrataError);
    expect((error as StrataError).message).toMatch(/stopped unexpectedly/u);
    await waitFor(() => statuses.filter((s) => s.state === 'ready').length >= 2, 'restart');
    expect(statuses.map((s) => s.state)).toContain('restarting');
    expect(supervisor.pid).not.toBe(firstPid);
    // The collection committed before the crash is there; the half import was removed at open.
    expect(await client.call('catalog/stats', {})).toMatchObject({ collections: 1, segments: 0 });
    expect((await client.call('catalog/check', {})).ok).toBe(true);
  });

  it('streams progress of a call and cancels it across the process boundary', async () => {
    await waitFor(() => statuses.some((s) => s.state === 'ready'), 'ready');
    const c = await client.call('collections/create', { name: 'C', source: 'nzb' });
    const nzb = path.join(dir, 'cancel.nzb');
    await writeGeneratedNzb(nzb, 200_000, 12);
    const controller = new AbortController();
    let events = 0;
    const r = await client.call(
      'nzb/import',
      { collectionId: c.id, paths: [nzb] },
      {
        signal: controller.signal,
        onProgress: () => {
          events++;
          controller.abort();
        },
      },
    );
    expect(events).toBeGreaterThan(0);
    expect(r.results[0]?.status).toBe('cancelled');
    expect(await client.call('catalog/stats', {})).toMatchObject({ segments: 0 });
  });

  it('answers with the open error when the catalog cannot be opened', async () => {
    await supervisor.stop();
    fs.writeFileSync(path.join(dir, 'strata.db'), 'not a database at all');
    statuses.length = 0;
    supervisor.start();
    await waitFor(() => statuses.some((s) => s.state === 'stopped'), 'the open failure');
    await expectCode(client.call('collections/list', {}), 'db-not-sqlite');
  });
});
