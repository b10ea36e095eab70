/**
 * The confined host: a token holder names files only under the folders the user chose on the
 * host's machine. Every path argument is tried with what an attacker would send (absolute
 * paths elsewhere, `..`, links leading out, relative paths), against a real host and real
 * files; the same calls under LOCAL_POLICY (the app, the CLI) take paths as given.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from '../manager/database-manager';
import { createHandlers } from './handlers';
import { LOCAL_POLICY, confinedPolicy, type HostPolicy } from './host-policy';
import { startHost, wsPort, type RunningHost } from './ws-host';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/nzb');
const PLAIN = path.join(FIXTURES, 'nzbget', 'plain.nzb');

describe('the confined host', () => {
  let dir: string;
  let dataDir: string;
  let allowed: string;
  let outside: string;
  let manager: DatabaseManager;
  let host: RunningHost;
  let client: StrataClient;
  let ws: WebSocket;
  let collectionId: number;

  async function open(policy: HostPolicy): Promise<void> {
    host = await startHost(createHandlers(manager, policy), { port: 0 });
    ws = new WebSocket(`${host.url.replace('http', 'ws')}/ipc?token=${host.token}`);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    client = createClient(wsPort(ws));
    collectionId = (await client.call('collections/create', { name: `C${Date.now()}`, source: 'nzb' })).id;
  }

  beforeEach(async () => {
    dir = fs.realpathSync(makeTempDir('confine'));
    dataDir = path.join(dir, 'data');
    allowed = path.join(dir, 'allowed');
    outside = path.join(dir, 'outside');
    fs.mkdirSync(path.join(allowed, 'nzbs'), { recursive: true });
    fs.mkdirSync(path.join(outside, 'photos'), { recursive: true });
    fs.copyFileSync(PLAIN, path.join(allowed, 'nzbs', 'inside.nzb'));
    fs.copyFileSync(PLAIN, path.join(outside, 'secret.nzb'));
    fs.writeFileSync(path.join(outside, 'photos', 'private.jpg'), Buffer.alloc(4096, 7));
    fs.writeFileSync(path.join(allowed, 'nzbs', 'readme.txt'), 'x');
    fs.symlinkSync(path.join(outside, 'secret.nzb'), path.join(allowed, 'nzbs', 'link-out.nzb'));
    fs.symlinkSync(path.join(outside, 'photos'), path.join(allowed, 'photos-link'));
    manager = await DatabaseManager.open(dataDir, { autoMoves: false, planEveryMs: 0 });
  });
  afterEach(async () => {
    client.close();
    ws.close();
    await host.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports from an --allow folder, and refuses paths elsewhere, `..`, links out and relative paths', async () => {
    await open(confinedPolicy([allowed]));
    const ok = await client.call('nzb/import', { collectionId, paths: [path.join(allowed, 'nzbs', 'inside.nzb')] });
    expect(ok.imported).toBe(1);
    const refusals = [
      '/etc/shadow',
      path.join(outside, 'secret.nzb'),
      `${allowed}/../outside/secret.nzb`,
      path.join(allowed, 'nzbs', 'link-out.nzb'),
      'nzbs/inside.nzb',
      `${allowed}-sibling/x.nzb`,
    ];
    for (const p of refusals) {
      const error = await expectCode(client.call('nzb/import', { collectionId, paths: [p] }), 'invalid-argument');
      expect(error.message).toContain(allowed);
    }
    // A folder inside is walked, and the link in it (to a file outside) is not followed.
    const folder = await client.call('nzb/import', { collectionId, paths: [path.join(allowed, 'nzbs')] });
    expect(folder.results.map((r) => path.basename(r.file))).toEqual(['inside.nzb']);
    expect(folder.duplicates).toBe(1);
  });

  it('reads nothing outside when the host has no --allow folder', async () => {
    await open(confinedPolicy([]));
    const error = await expectCode(client.call('nzb/import', { collectionId, paths: [path.join(allowed, 'nzbs', 'inside.nzb')] }), 'invalid-argument');
    expect(error.message).toMatch(/--allow/u);
    await expectCode(client.call('nzb/attach', { collectionId, path: '/etc/passwd' }), 'invalid-argument');
  });

  it('indexes under an --allow folder only, skipping links that lead out', async () => {
    await open(confinedPolicy([allowed]));
    await expectCode(client.call('folder/index', { collectionId, root: '/etc/ssh' }), 'invalid-argument');
    await expectCode(client.call('folder/index', { collectionId, root: path.join(allowed, 'photos-link') }), 'invalid-argument');
    const local = await client.call('collections/create', { name: 'Local', source: 'local' });
    const r = await client.call('folder/index', { collectionId: local.id, root: allowed });
    expect(r.problems.map((p) => p.reason)).toContain('a link leading outside the folders this host may read; skipped');
    const listed = await client.call('search/query', { query: 'private' });
    expect(listed.hits).toEqual([]);
    expect(r.filesSeen).toBe(2);
  });

  it('writes exports and backups only by name into the data folder, never elsewhere, never over a file', async () => {
    await open(confinedPolicy([allowed]));
    await client.call('nzb/import', { collectionId, paths: [path.join(allowed, 'nzbs', 'inside.nzb')] });
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    fs.writeFileSync(path.join(home, '.bashrc'), 'original');
    const badDestinations = ['../../x.nzb', path.join(home, '.bashrc'), path.join(dir, 'new-folder', 'x.nzb'), 'sub/x.nzb', '.bashrc', '..', 'a\u0000b.nzb', '/tmp/x.nzb', 'CON.nzb', 'nul', 'com1.nzb', 'trailing.nzb.', 'space.nzb '];
    for (const destination of badDestinations) {
      await expectCode(client.call('nzb/export', { collectionId, destination }), 'invalid-argument');
      await expectCode(client.call('catalog/backup', { destination }), 'invalid-argument');
    }
    expect(fs.readFileSync(path.join(home, '.bashrc'), 'utf8')).toBe('original');
    expect(fs.existsSync(path.join(dir, 'new-folder'))).toBe(false);
    expect(fs.existsSync('/tmp/x.nzb')).toBe(false);
    // The absolute path of a place directly in exports/ is fine.
    const r = await client.call('nzb/export', { collectionId, destination: path.join(dataDir, 'exports', 'full.nzb') });
    expect(r.download).toBe('exports/full.nzb');
    await expectCode(client.call('nzb/export', { collectionId, destination: 'full.nzb' }), 'conflict');
  });

  it('refuses an exports folder that is a link out of the data folder', async () => {
    await open(confinedPolicy([allowed]));
    await client.call('nzb/import', { collectionId, paths: [path.join(allowed, 'nzbs', 'inside.nzb')] });
    fs.symlinkSync(outside, path.join(dataDir, 'exports'));
    await expectCode(client.call('nzb/export', { collectionId, destination: 'x.nzb' }), 'invalid-argument');
    expect(fs.existsSync(path.join(outside, 'x.nzb'))).toBe(false);
  });

  it('under LOCAL_POLICY (the app, the CLI) takes paths as given', async () => {
    await open(LOCAL_POLICY);
    expect((await client.call('nzb/import', { collectionId, paths: [path.join(outside, 'secret.nzb')] })).imported).toBe(1);
    const r = await client.call('nzb/export', { collectionId, destination: path.join(outside, 'made', 'out.nzb') });
    expect(r.download).toBeUndefined();
    expect(fs.existsSync(path.join(outside, 'made', 'out.nzb'))).toBe(true);
  });

  it('does not tell a remote client how a server check failed to connect; the app is told', async () => {
    // A closed port on the host's machine: the host's own network is not the page's to map.
    const closed = 'postgresql://u:p@127.0.0.1:1/db';
    await open(confinedPolicy([allowed]));
    const remote = await client.call('server/check', { url: closed });
    expect(remote).toMatchObject({ ok: false, reachable: false });
    expect(remote.problems).toEqual([expect.stringMatching(/^No PostgreSQL server answered at postgres:\/\/u@127\.0\.0\.1:1\/db\. /u)]);
    client.close();
    ws.close();
    await host.close();
    await open(LOCAL_POLICY);
    const local = await client.call('server/check', { url: closed });
    expect(local.problems[0]).not.toMatch(/^No PostgreSQL server answered/u);
  });
});

describe('confinedPolicy', () => {
  it('refuses an --allow folder that does not exist or is a file', () => {
    const dir = makeTempDir('policy');
    fs.writeFileSync(path.join(dir, 'file'), '');
    expect(() => confinedPolicy([path.join(dir, 'nope')])).toThrow(/does not exist/u);
    expect(() => confinedPolicy([path.join(dir, 'file')])).toThrow(/not a folder/u);
    expect(confinedPolicy([dir]).paths).toEqual({ kind: 'confined', readRoots: [fs.realpathSync(dir)] });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
