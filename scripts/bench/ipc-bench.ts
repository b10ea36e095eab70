/**
 * `npm run bench -- ipc`: round trips of the handler map over the forked database process's
 * channel and over the WebSocket host, a 200-row page, and small calls while an NZB import
 * streams progress through the same channel.
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
    const folder = await setup.resolvePath(c.id, 'All');
    await setup.close();
    const nzb = path.join(dir, 'import.nzb');
    await writeGeneratedNzb(nzb, 500_000, 6);

    supervisor.start();
    const client: StrataClient = createClient(supervisor.port());
    await new Promise<void>((resolve) => client.on('db/status', (s) => s.state === 'ready' && resolve()));
    await timeCalls(200, () => client.call('collections/list', {}));
    log('port: small calls…');
    const port = await timeCalls(opts.samples, () => client.call('collections/list', {}));
    const folderId = folder?.kind === 'folder' ? folder.folder.id : null;
    const page = await timeCalls(Math.min(opts.samples, 1000), () => client.call('files/list', { collectionId: c.id, folderId, limit: 200 }));

    log('port: small calls while an import streams progress…');
    const target = await client.call('collections/create', { name: 'import', source: 'nzb' });
    let progressEvents = 0;
    const importing = client.call('nzb/import', { collectionId: target.id, paths: [nzb] }, { onProgress: () => progressEvents++ });
    let done = false;
    void importing.finally(() => (done = true));
    const during: number[] = [];
    while (!done) {
      const t = performance.now();
      await client.call('collections/list', {});
      during.push(performance.now() - t);
    }
    await importing;

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
      progress_events: progressEvents,
    };
  } finally {
    await supervisor.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
