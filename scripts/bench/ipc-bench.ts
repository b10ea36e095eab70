/**
 * `npm run bench -- ipc`: round trips of the handler map over the forked database process's
 * channel and over the WebSocket host, a 200-row page, and the reads a user makes while an NZB
 * import writes: a file's segments, a page of files, a search and a small call, each measured
 * on its own, idle first (the same run's baseline) and then during a 500,000-segment import.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WebSocket } from 'ws';
import { DatabaseSupervisor } from '../../electron/db/supervisor/database-supervisor';
import { forkDatabase } from '../../electron/db/supervisor/node-child';
import { createHandlers } from '../../electron/db/ipc/handlers';
import { LOCAL_POLICY } from '../../electron/db/ipc/host-policy';
import { startHost, wsPort } from '../../electron/db/ipc/ws-host';
import { openStore } from '../../electron/db/open-store';
import { DatabaseManager } from '../../electron/db/manager/database-manager';
import { createClient, type StrataClient } from '../../shared/ipc/client';
import { generateCatalog } from '../generate/catalog-generator';
import { writeGeneratedNzb } from '../generate/nzb-file-generator';
import { log, summarize, tempDir } from './bench-utils';

/** The reads the library makes, by the kind the targets name. */
type ReadKind = 'segments' | 'page' | 'search' | 'small';
const READ_KINDS: ReadKind[] = ['segments', 'page', 'search', 'small'];

function figures(prefix: string, byKind: Record<ReadKind, number[]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const kind of READ_KINDS) {
    const times = byKind[kind];
    const s = summarize(times);
    out[`${prefix}_${kind}_p50_ms`] = s.p50;
    out[`${prefix}_${kind}_p99_ms`] = s.p99;
    out[`${prefix}_${kind}_max_ms`] = Math.round(Math.max(0, ...times) * 1000) / 1000;
    out[`${prefix}_${kind}_calls`] = s.n;
  }
  return out;
}

async function timeCalls(n: number, call: () => Promise<unknown>): Promise<ReturnType<typeof summarize>> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await call();
    times.push(performance.now() - t);
  }
  return summarize(times);
}

export async function ipcBench(opts: { samples: number }): Promise<Record<string, unknown>> {
  const dir = tempDir('ipc');
  const supervisor = new DatabaseSupervisor(dir, forkDatabase);
  try {
    log('preparing a 100,000-segment catalog…');
    const setup = await openStore(dir);
    const c = await setup.createCollection({ name: 'bench', source: 'nzb' });
    await setup.ingest(c.id, generateCatalog({ segments: 100_000, seed: 5, pathPrefix: 'All' }));
    const fileCount = (await setup.getCollection(c.id)).fileCount;
    await setup.close();
    const nzb = path.join(dir, 'import.nzb');
    await writeGeneratedNzb(nzb, 500_000, 6);

    supervisor.start();
    const client: StrataClient = createClient(supervisor.port());
    await new Promise<void>((resolve) => client.on('db/status', (s) => s.state === 'ready' && resolve()));
    await timeCalls(200, () => client.call('collections/list', {}));
    log('port: small calls…');
    const port = await timeCalls(opts.samples, () => client.call('collections/list', {}));
    // The generator puts every file in a folder below 'All', so the pages are of the whole
    // collection (the library's "all files" view), at offsets inside it: none comes back empty.
    const folderId = null;
    const lastPage = Math.max(1, fileCount - 200);
    const page = await timeCalls(Math.min(opts.samples, 1000), () => client.call('files/list', { collectionId: c.id, folderId, limit: 200 }));

    // One read of each kind in turn, as a user browsing and searching would make them.
    const files = (await client.call('files/list', { collectionId: c.id, folderId, limit: 200 })).items;
    if (files.length === 0) throw new Error('The generated catalog listed no files: the bench would time empty pages.');
    const word = files.map((f) => /[A-Za-z]{4,}/u.exec(f.name)?.[0]).find(Boolean) ?? 'file';
    const reads: Record<ReadKind, (i: number) => Promise<unknown>> = {
      segments: (i) => client.call('files/segments', { fileId: files[i % files.length]!.id, limit: 200 }),
      page: (i) => client.call('files/list', { collectionId: c.id, folderId, limit: 200, offset: (i * 997) % lastPage }),
      search: () => client.call('search/query', { query: word, limit: 50 }),
      small: () => client.call('collections/list', {}),
    };
    const readRound = async (byKind: Record<ReadKind, number[]>, i: number): Promise<void> => {
      for (const kind of READ_KINDS) {
        const t = performance.now();
        await reads[kind](i);
        byKind[kind].push(performance.now() - t);
      }
    };
    const empty = (): Record<ReadKind, number[]> => ({ segments: [], page: [], search: [], small: [] });
    log('port: reads of each kind, idle…');
    const idle = empty();
    for (let i = 0; i < Math.min(opts.samples, 500); i++) await readRound(idle, i);

    log('port: the same reads while a 500,000-segment import writes and streams progress…');
    const target = await client.call('collections/create', { name: 'import', source: 'nzb' });
    let progressEvents = 0;
    const importing = client.call('nzb/import', { collectionId: target.id, paths: [nzb] }, { onProgress: () => progressEvents++ });
    let done = false;
    void importing.finally(() => (done = true));
    const duringByKind = empty();
    for (let i = 0; !done; i++) await readRound(duringByKind, i);
    await importing;
    const during = READ_KINDS.flatMap((k) => duringByKind[k]);

    log('websocket: small calls…');
    const manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    const host = await startHost(createHandlers(manager, LOCAL_POLICY), { port: 0 });
    const socket = new WebSocket(`${host.url.replace('http', 'ws')}/ipc?token=${host.token}`);
    await new Promise((resolve) => socket.once('open', resolve));
    const wsClient = createClient(wsPort(socket));
    await timeCalls(200, () => wsClient.call('collections/list', {}));
    const ws = await timeCalls(opts.samples, () => wsClient.call('collections/list', {}));
    wsClient.close();
    socket.close();
    await host.close();
    await manager.close();
    client.close();
    const duringSummary = summarize(during);
    return {
      bench: 'ipc',
      port_p50_ms: port.p50,
      port_p99_ms: port.p99,
      ws_p50_ms: ws.p50,
      ws_p99_ms: ws.p99,
      page_p50_ms: page.p50,
      page_p99_ms: page.p99,
      during_import_p50_ms: duringSummary.p50,
      during_import_p99_ms: duringSummary.p99,
      // A call that arrives while a batch is being written waits for that batch.
      during_import_max_ms: Math.round(Math.max(...during) * 1000) / 1000,
      during_import_calls: duringSummary.n,
      ...figures('idle', idle),
      ...figures('during_import', duringByKind),
      // Per kind, how much slower a read is while the import writes (p99 against idle p99).
      ...Object.fromEntries(READ_KINDS.map((k) => [`during_import_${k}_p99_ratio_vs_idle`, Math.round((summarize(duringByKind[k]).p99 / Math.max(0.001, summarize(idle[k]).p99)) * 100) / 100])),
      progress_events: progressEvents,
    };
  } finally {
    await supervisor.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
