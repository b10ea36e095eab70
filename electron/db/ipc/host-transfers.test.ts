/**
 * Uploads and downloads over a real headless host: a browser-like client sends an NZB in
 * chunks, imports it by upload id, exports and backs up by file name, and fetches the results
 * with an HTTP GET that checks the token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { writeGeneratedNzb } from '../../../scripts/generate/nzb-file-generator';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { UPLOAD_LIMITS, downloadHref } from '../../../shared/ipc/transfer-schemas';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from '../manager/database-manager';
import { createHandlers } from './handlers';
import { confinedPolicy } from './host-policy';
import { startHost, wsPort, type RunningHost } from './ws-host';

const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/nzb');

async function connect(host: RunningHost): Promise<{ client: StrataClient; ws: WebSocket }> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws')}/ipc?token=${host.token}`);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { client: createClient(wsPort(ws)), ws };
}

async function upload(client: StrataClient, name: string, body: Buffer, chunk = UPLOAD_LIMITS.chunkBytes): Promise<string> {
  const { uploadId } = await client.call('uploads/begin', { name, bytes: body.length });
  for (let offset = 0; offset < body.length; offset += chunk) {
    const { received } = await client.call('uploads/chunk', { uploadId, offset, data: body.subarray(offset, offset + chunk).toString('base64') });
    expect(received).toBe(Math.min(body.length, offset + chunk));
  }
  expect(await client.call('uploads/finish', { uploadId })).toEqual({ uploadId, name, bytes: body.length });
  return uploadId;
}

describe('uploads and downloads over the headless host', () => {
  let dir: string;
  let dataDir: string;
  let manager: DatabaseManager;
  let host: RunningHost;
  let client: StrataClient;
  let ws: WebSocket;
  beforeEach(async () => {
    dir = makeTempDir('transfers');
    dataDir = path.join(dir, 'data');
    manager = await DatabaseManager.open(dataDir, { autoMoves: false, planEveryMs: 0 });
    host = await startHost(createHandlers(manager, confinedPolicy([])), {
      port: 0,
      downloads: { exports: path.join(dataDir, 'exports'), backups: path.join(dataDir, 'backups') },
    });
    ({ client, ws } = await connect(host));
  });
  afterEach(async () => {
    client.close();
    ws.close();
    await host.close();
    await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports an uploaded NZB (several chunks), keeps the name\'s password, and removes the upload after', async () => {
    const body = fs.readFileSync(path.join(FIXTURES, 'nzbget', 'passwd{{thisisthepassword}}.nzb'));
    const c = await client.call('collections/create', { name: 'Up', source: 'nzb' });
    const uploadId = await upload(client, 'passwd{{thisisthepassword}}.nzb', body, 300);
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([uploadId]);
    const r = await client.call('nzb/import', { collectionId: c.id, uploads: [uploadId] });
    expect(r).toMatchObject({ imported: 1, failed: 0 });
    expect(r.files).toBeGreaterThan(0);
    expect(r.results[0]?.passwords).toContain('thisisthepassword');
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
    // Imported once: the id is gone.
    await expectCode(client.call('nzb/import', { collectionId: c.id, uploads: [uploadId] }), 'not-found');
  });

  it('takes a multi-megabyte NZB in full-size chunks, byte for byte', async () => {
    const nzb = path.join(dir, 'big.nzb');
    await writeGeneratedNzb(nzb, 30_000, 7);
    const body = fs.readFileSync(nzb);
    expect(body.length).toBeGreaterThan(2 * UPLOAD_LIMITS.chunkBytes);
    const c = await client.call('collections/create', { name: 'Big', source: 'nzb' });
    const uploadId = await upload(client, 'big.nzb', body);
    expect(fs.readFileSync(path.join(dataDir, 'uploads', uploadId, 'big.nzb')).equals(body)).toBe(true);
    expect(await client.call('nzb/import', { collectionId: c.id, uploads: [uploadId] })).toMatchObject({ imported: 1, segments: 30_000 });
  });

  it('refuses chunks out of order, past the announced size, oversized, or not base64; and an unfinished import', async () => {
    const { uploadId } = await client.call('uploads/begin', { name: 'x.nzb', bytes: 10 });
    await expectCode(client.call('uploads/chunk', { uploadId, offset: 5, data: Buffer.from('abc').toString('base64') }), 'invalid-argument');
    await expectCode(client.call('uploads/chunk', { uploadId, offset: 0, data: Buffer.alloc(11).toString('base64') }), 'invalid-argument');
    await expectCode(client.call('uploads/chunk', { uploadId, offset: 0, data: 'not base64!' }), 'invalid-argument');
    await expectCode(client.call('uploads/chunk', { uploadId, offset: 0, data: 'A'.repeat(4 * Math.ceil(UPLOAD_LIMITS.chunkBytes / 3) + 4) }), 'invalid-argument');
    expect(await client.call('uploads/chunk', { uploadId, offset: 0, data: Buffer.alloc(4).toString('base64') })).toEqual({ received: 4 });
    await expectCode(client.call('uploads/finish', { uploadId }), 'invalid-argument');
    const c = await client.call('collections/create', { name: 'U', source: 'nzb' });
    await expectCode(client.call('nzb/import', { collectionId: c.id, uploads: [uploadId] }), 'invalid-argument');
    expect(await client.call('uploads/discard', { uploadId })).toEqual({ discarded: true });
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
    await expectCode(client.call('uploads/chunk', { uploadId, offset: 4, data: 'AAAA' }), 'not-found');
  });

  it('refuses names with folders, unsafe names, sizes over the limit, and more than a connection may hold', async () => {
    for (const name of ['../evil.nzb', 'a/b.nzb', 'a\\b.nzb', 'line\nbreak.nzb', 'notes.txt', '..'])
      await expectCode(client.call('uploads/begin', { name, bytes: 10 }), 'invalid-argument');
    await expectCode(client.call('uploads/begin', { name: 'huge.nzb', bytes: UPLOAD_LIMITS.fileBytes + 1 }), 'invalid-argument');
    await expectCode(client.call('nzb/import', { collectionId: 1 }), 'invalid-argument');
    // Two uploads of 512 MiB fill the connection's quota (nothing is written until chunks come).
    await client.call('uploads/begin', { name: 'a.nzb', bytes: UPLOAD_LIMITS.fileBytes });
    await client.call('uploads/begin', { name: 'b.nzb', bytes: UPLOAD_LIMITS.fileBytes });
    const error = await expectCode(client.call('uploads/begin', { name: 'c.nzb', bytes: 1 }), 'busy');
    expect(error.message).toMatch(/import or discard/u);
    // Another connection has its own quota.
    const other = await connect(host);
    await expect(other.client.call('uploads/begin', { name: 'c.nzb', bytes: 1 })).resolves.toMatchObject({ chunkBytes: UPLOAD_LIMITS.chunkBytes });
    other.client.close();
    other.ws.close();
  });

  it('writes an export and a backup by name into exports/ and backups/, and serves them as downloads behind the token', async () => {
    const c = await client.call('collections/create', { name: 'Ex', source: 'nzb' });
    const uploadId = await upload(client, 'plain.nzb', fs.readFileSync(path.join(FIXTURES, 'nzbget', 'plain.nzb')));
    await client.call('nzb/import', { collectionId: c.id, uploads: [uploadId] });

    const exported = await client.call('nzb/export', { collectionId: c.id, destination: 'release one.nzb' });
    expect(exported.path).toBe(path.join(fs.realpathSync(dataDir), 'exports', 'release one.nzb'));
    expect(exported.download).toBe('exports/release one.nzb');
    const got = await fetch(`${host.url}${downloadHref(exported.download ?? '', host.token)}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="release one.nzb"; filename*=UTF-8''release%20one.nzb`);
    expect(got.headers.get('content-type')).toBe('application/x-nzb');
    expect(Buffer.from(await got.arrayBuffer()).equals(fs.readFileSync(exported.path))).toBe(true);

    const backup = await client.call('catalog/backup', { destination: 'catalog.db' });
    expect(backup.download).toBe('backups/catalog.db');
    const b = await fetch(`${host.url}/download/backups/catalog.db`, { headers: { authorization: `Bearer ${host.token}` } });
    expect(b.status).toBe(200);
    expect(Number(b.headers.get('content-length'))).toBe(fs.statSync(backup.path).size);
    await b.arrayBuffer();

    // Never over an existing file.
    await expectCode(client.call('nzb/export', { collectionId: c.id, destination: 'release one.nzb' }), 'conflict');
    await expectCode(client.call('catalog/backup', { destination: 'catalog.db' }), 'conflict');
  });

  it('serves nothing else at /download: no token, other folders, dot files, links, partial files, traversal', async () => {
    const exportsDir = path.join(dataDir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true });
    fs.writeFileSync(path.join(exportsDir, 'ok.nzb'), 'ok');
    fs.writeFileSync(path.join(exportsDir, '.hidden'), 'no');
    fs.writeFileSync(path.join(exportsDir, 'half.nzb.partial'), 'no');
    fs.writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(exportsDir, 'link.nzb'));
    const get = async (p: string, token: string | null = host.token): Promise<number> => {
      const r = await fetch(`${host.url}${p}${token === null ? '' : `?token=${token}`}`);
      await r.arrayBuffer();
      return r.status;
    };
    expect(await get('/download/exports/ok.nzb')).toBe(200);
    expect(await get('/download/exports/ok.nzb', null)).toBe(401);
    expect(await get('/download/exports/ok.nzb', 'wrong')).toBe(401);
    expect(await get('/download/uploads/ok.nzb')).toBe(404);
    expect(await get('/download/exports/.hidden')).toBe(404);
    expect(await get('/download/exports/half.nzb.partial')).toBe(404);
    expect(await get('/download/exports/link.nzb')).toBe(404);
    expect(await get('/download/exports/..%2F..%2Fsecret.txt')).toBe(404);
    expect(await get('/download/exports/%2e%2e')).toBe(404);
    expect(await get('/download/exports/ok.nzb/extra')).toBe(404);
    expect(await get('/download/exports/missing.nzb')).toBe(404);
  });
});
