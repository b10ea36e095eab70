/**
 * A hostile client of the headless host, generated (fast-check): calls on every channel with
 * arguments shaped by the channel's own schema and spoiled at the edges (hostile-arbitrary.ts),
 * and raw frames that are not messages at all, over a real WebSocket to a real confined host
 * on a real SQLite catalog holding a real NZB. Every call must be answered within seconds, by
 * a result or by a typed error that is not `internal` and carries no stack; the host must stay
 * up and answer the next client; the catalog must still pass its check at the end.
 *
 * `npm test` runs a few seconds of it; the long fault mode (`npm run test:faults -- --long`)
 * runs minutes, and STRATA_FUZZ_MS sets the time exactly. A failure prints fast-check's seed
 * and path, so the input that broke the host can be replayed.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { CHANNELS, CONTRACT, type Channel } from '../../../shared/ipc/contract';
import { ERROR_CODES, StrataError } from '../../../shared/errors';
import { makeTempDir } from '../conformance/test-engines';
import { hostileArgs } from '../faults/hostile-arbitrary';
import { LONG, reportFuzzFigure } from '../faults/kill-trials';
import { DatabaseManager } from '../manager/database-manager';
import { createHandlers } from './handlers';
import { confinedPolicy } from './host-policy';
import { startHost, wsPort, type RunningHost } from './ws-host';

const FIXTURE = path.resolve(process.cwd(), '../shared/fixtures/nzb/nzbget/plain.nzb');

/**
 * Channels a token holder may call but whose valid calls are long jobs rather than answers:
 * a move of the whole catalog, a restore, a generated sample catalog, a connection attempt to
 * a server. Their argument checks are the same code as every other channel's (the dispatcher
 * parses with the contract before any handler runs), and their hostile paths have their own
 * tests (host-confinement, rate-limit, migrate-*, restore).
 */
const LONG_JOBS: ReadonlySet<Channel> = new Set(['migration/start', 'catalog/restore', 'catalog/sample', 'server/check']);

const budgetMs = (): number => {
  const asked = Number(process.env.STRATA_FUZZ_MS);
  if (Number.isFinite(asked) && asked > 0) return asked;
  return LONG ? 10 * 60_000 : 6_000;
};

const ANSWER_WITHIN_MS = 20_000;

async function connect(host: RunningHost): Promise<{ ws: WebSocket; client: StrataClient }> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ipc?token=${host.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, client: createClient(wsPort(ws)) };
}

/** Why an answer is not acceptable from a host under attack, or null when it is. */
function unacceptable(error: unknown): string | null {
  if (!(error instanceof StrataError)) return `not a StrataError: ${String(error)}`;
  if (!(ERROR_CODES as readonly string[]).includes(error.code)) return `unknown code ${error.code}`;
  if (error.code === 'internal') return `internal: ${error.message}`;
  if (/\n\s+at /u.test(error.message)) return `a stack in the message: ${error.message}`;
  return null;
}

describe('the host under generated hostile calls', () => {
  let dir: string;
  let manager: DatabaseManager;
  let host: RunningHost;
  let ws: WebSocket;
  let client: StrataClient;

  beforeAll(async () => {
    dir = fs.realpathSync(makeTempDir('host-fuzz'));
    const allowed = path.join(dir, 'allowed');
    fs.mkdirSync(allowed, { recursive: true });
    fs.copyFileSync(FIXTURE, path.join(allowed, 'plain.nzb'));
    manager = await DatabaseManager.open(path.join(dir, 'data'), { autoMoves: false, planEveryMs: 0 });
    host = await startHost(createHandlers(manager, confinedPolicy([allowed])), { port: 0 });
    ({ ws, client } = await connect(host));
    const { id } = await client.call('collections/create', { name: 'Fuzzed', source: 'nzb' });
    expect((await client.call('nzb/import', { collectionId: id, paths: [path.join(allowed, 'plain.nzb')] })).imported).toBe(1);
  });

  afterAll(async () => {
    client.close();
    ws.close();
    await host.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers every generated call with a result or a typed error, never internal, and stays whole', async () => {
    const channels = CHANNELS.filter((c) => !LONG_JOBS.has(c));
    const call = fc.oneof(...channels.map((channel) => hostileArgs(CONTRACT[channel].args).map((args) => ({ channel, args }))));
    const started = Date.now();
    let inputs = 0;
    await fc.assert(
      fc.asyncProperty(call, async ({ channel, args }) => {
        inputs++;
        let timer: NodeJS.Timeout | undefined;
        const answer = client.call(channel, args as never).then(
          () => null,
          (error: unknown) => unacceptable(error),
        );
        const hung = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${ANSWER_WITHIN_MS} ms`), ANSWER_WITHIN_MS)));
        const problem = await Promise.race([answer, hung]);
        clearTimeout(timer);
        if (problem) throw new Error(`${channel} ${JSON.stringify(args)?.slice(0, 300)}: ${problem}`);
      }),
      { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: budgetMs(), markInterruptAsFailure: false },
    );
    const elapsedMs = Date.now() - started;
    reportFuzzFigure({ suite: 'fuzz', case: 'host calls', inputs, elapsedMs });
    expect(inputs).toBeGreaterThan(20);
    // Still whole: the host answers, and the catalog passes its own check.
    expect(Array.isArray(await client.call('collections/list', {}))).toBe(true);
    expect((await client.call('catalog/check', {})).ok).toBe(true);
  }, 15 * 60_000);

  it('drops frames that are not messages, and keeps serving the next client', async () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
      fc.json().map((text) => text),
      fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
      fc.record({ t: fc.constantFrom('call', 'cancel', 'result', 'event', 'x'), id: fc.anything(), channel: fc.anything(), args: fc.anything() }).map((m) => JSON.stringify(m)),
      fc.string({ maxLength: 64 }).map((s) => `{"t":"call","id":1,"channel":${JSON.stringify(s)},"args":{}}`),
    );
    const started = Date.now();
    let inputs = 0;
    const raw = await connect(host);
    let socket = raw.ws;
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        inputs++;
        // A frame the library refuses closes that socket (never the host): the next frame goes on a new one.
        if (socket.readyState !== WebSocket.OPEN) socket = (await connect(host)).ws;
        socket.send(data);
      }),
      { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: Math.max(2_000, budgetMs() / 3), markInterruptAsFailure: false },
    );
    reportFuzzFigure({ suite: 'fuzz', case: 'raw frames', inputs, elapsedMs: Date.now() - started });
    expect(inputs).toBeGreaterThan(20);
    socket.close();
    raw.client.close();
    const next = await connect(host);
    try {
      expect(typeof (await next.client.call('catalog/stats', {})).files).toBe('number');
    } finally {
      next.client.close();
      next.ws.close();
    }
  }, 15 * 60_000);
});
