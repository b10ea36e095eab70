/** The headless host: the handler map over WebSocket, behind a token and an origin check. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient } from '../../../shared/ipc/client';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { createHandlers } from './handlers';
import { LOCAL_POLICY } from './host-policy';
import { DatabaseManager } from '../manager/database-manager';
import { startHost, wsPort, type RunningHost } from './ws-host';

/** Opens a WebSocket and resolves with it, or with the HTTP status that refused it. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

describe('headless host', () => {
  let dir: string;
  let manager: DatabaseManager;
  let host: RunningHost;
  beforeEach(async () => {
    dir = makeTempDir('host');
    fs.mkdirSync(path.join(dir, 'renderer'));
    fs.writeFileSync(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>Strata</title>');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'do not serve');
    manager = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    host = await startHost(createHandlers(manager, LOCAL_POLICY), { port: 0, staticDir: path.join(dir, 'renderer') });
  });
  afterEach(async () => {
    await host.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const wsUrl = (token: string | null): string => `${host.url.replace('http', 'ws')}/ipc${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;

  it('serves the handler map to a client with the token, on loopback', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
    const socket = await connect(wsUrl(host.token), { origin: host.url });
    expect(socket).toBeInstanceOf(WebSocket);
    const client = createClient(wsPort(socket as WebSocket));
    const c = await client.call('collections/create', { name: 'Over WS', source: 'local' });
    expect((await client.call('collections/list', {})).map((x) => x.id)).toEqual([c.id]);
    await expectCode(client.call('files/get', { fileId: 0 }), 'invalid-argument');
    client.close();
    (socket as WebSocket).close();
  });

  it('refuses a connection without the token, with a wrong one, or from another origin', async () => {
    expect(await connect(wsUrl(null))).toBe(401);
    expect(await connect(wsUrl('guess'))).toBe(401);
    expect(await connect(wsUrl(`${host.token}x`))).toBe(401);
    expect(await connect(wsUrl(host.token), { origin: 'https://evil.example' })).toBe(403);
    expect(await connect(`${host.url.replace('http', 'ws')}/other?token=${host.token}`)).toBe(404);
  });

  it('serves the renderer with a CSP, and nothing outside it', async () => {
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>Strata</title>');
    expect((await fetch(`${host.url}/../secret.txt`)).status).toBe(404);
    expect((await fetch(`${host.url}/%2e%2e/secret.txt`)).status).toBe(404);
    expect((await fetch(`${host.url}/missing.js`)).status).toBe(404);
  });

  it('says clearly when the port is taken', async () => {
    await expect(startHost(createHandlers(manager, LOCAL_POLICY), { port: host.port })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/in use/u) as unknown });
  });
});
