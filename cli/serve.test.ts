/**
 * `strata serve` as a real process: the confinement it is started with, and frames the
 * WebSocket library refuses (over the 16 MiB limit, invalid UTF-8), sent by a raw client. Each
 * closes that connection; the process and its other clients go on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from '../shared/ipc/client';
import { wsPort } from '../electron/db/ipc/ws-host';
import { expectCode } from '../electron/db/conformance/expect-code';
import { makeTempDir } from '../electron/db/conformance/test-engines';

const BIN = path.resolve('bin/strata.js');

interface Served {
  url: string;
  ws: string;
  token: string;
  allow: string[];
}

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code the host sent. */
function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

describe('strata serve', () => {
  let dir: string;
  let allowed: string;
  let child: ChildProcess;
  let served: Served;
  let exited: number | null = null;
  beforeAll(async () => {
    dir = makeTempDir('serve');
    allowed = path.join(dir, 'nzbs');
    fs.mkdirSync(allowed);
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--data', path.join(dir, 'data'), '--allow', allowed], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STRATA_DATA_DIR: '' },
    });
    child.on('exit', (code) => (exited = code ?? -1));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    served = await new Promise<Served>((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line) as Served));
      child.once('exit', () => reject(new Error('strata serve exited before it served')));
    });
  }, 60_000);
  afterAll(async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports the --allow folders it confines reads to', () => {
    expect(served.allow).toEqual([fs.realpathSync(allowed)]);
  });

  it('closes a connection that sends a frame over 16 MiB, and keeps serving the others', async () => {
    const bystander = await open(served.ws);
    const attacker = await open(served.ws);
    const code = closed(attacker);
    attacker.send('x'.repeat(16 * 1024 * 1024 + 1));
    // 1009 (message too big) when the close frame arrives; 1006 when the server's end of the
    // socket went first. Either way that connection is closed and the host serves on.
    expect([1009, 1006]).toContain(await code);
    const client = createClient(wsPort(bystander));
    expect(await client.call('collections/list', {})).toEqual([]);
    expect(exited).toBeNull();
    client.close();
    bystander.close();
  }, 60_000);

  it('closes a connection that sends a 4-byte text frame of invalid UTF-8, and keeps serving', async () => {
    const attacker = await open(served.ws);
    const code = closed(attacker);
    // ws does not check what it sends: these bytes reach the host as a text frame.
    attacker.send(Buffer.from([0xff, 0xfe, 0xfd, 0xfc]), { binary: false });
    expect(await code).toBe(1007);
    const next = await open(served.ws);
    const client = createClient(wsPort(next));
    expect((await client.call('collections/create', { name: 'Still here', source: 'nzb' })).name).toBe('Still here');
    expect(exited).toBeNull();
    client.close();
    next.close();
  }, 60_000);

  it('refuses paths outside --allow from a real client, and lets server/check run a few times a minute only', async () => {
    const socket = await open(served.ws);
    const client = createClient(wsPort(socket));
    const c = await client.call('collections/create', { name: 'Confined', source: 'nzb' });
    await expectCode(client.call('nzb/import', { collectionId: c.id, paths: ['/etc/shadow'] }), 'invalid-argument');
    await expectCode(client.call('nzb/export', { collectionId: c.id, destination: '../../.bashrc' }), 'invalid-argument');
    // Port 1 on loopback refuses at once: each check is quick, and counted.
    for (let i = 0; i < 3; i++) await client.call('server/check', { url: 'postgresql://u:p@127.0.0.1:1/db' }).catch(() => undefined);
    const limited = await expectCode(client.call('server/check', { url: 'postgresql://u:p@127.0.0.1:1/db' }), 'busy');
    expect(limited.message).toMatch(/3 per connection per 60 s/u);
    client.close();
    socket.close();
  }, 60_000);
});
