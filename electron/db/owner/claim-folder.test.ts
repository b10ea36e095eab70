/**
 * The data folder's lock and endpoint with real processes: a race between claimants, an owner
 * killed with SIGKILL, a connection without the token, a frame over the limit.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../conformance/test-engines';
import { claimDataFolder } from './claim-folder';
import { openOwnedCatalog } from './open-owned-catalog';
import { OWNER_FILE } from './owner-paths';
import { readOwnerRecord } from './owner-record';
import { MAX_FRAME_BYTES } from './socket-port';

const HOLDER = path.resolve('electron/db/owner/testing/claim-and-hold.ts');

interface Report {
  role: 'owner' | 'client';
  pid: number;
  ownerPid?: number;
  engine?: string;
}

function holder(dataDir: string, holdMs: number): { child: ReturnType<typeof spawn>; report: Promise<Report>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, dataDir, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const report = new Promise<Report>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as Report);
    });
    child.once('close', () => reject(new Error(`the holder ended without a report: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, report, exited };
}

/** Says hello with the given token; answers the reply and whether the socket then closed. */
function greet(endpoint: string, token: string): Promise<{ reply: Record<string, unknown>; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(endpoint);
    let text = '';
    socket.on('error', reject);
    socket.on('connect', () => socket.write(`${JSON.stringify({ t: 'hello', token })}\n`));
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    socket.on('close', () => resolve({ reply: JSON.parse(text.split('\n')[0] || '{}') as Record<string, unknown>, closed: true }));
  });
}

describe('claiming a data folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('owner');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('six processes racing for one folder: exactly one owns it, the others are answered through it', async () => {
    const racers = Array.from({ length: 6 }, () => holder(dir, 4_000));
    const reports = await Promise.all(racers.map((r) => r.report));
    const owners = reports.filter((r) => r.role === 'owner');
    expect(owners).toHaveLength(1);
    const clients = reports.filter((r) => r.role === 'client');
    expect(clients).toHaveLength(5);
    expect(clients.every((c) => c.ownerPid === owners[0]?.pid && c.engine === 'sqlite')).toBe(true);
    expect(await Promise.all(racers.map((r) => r.exited))).toEqual([0, 0, 0, 0, 0, 0]);
    // The owner removed its record and endpoint when it let go.
    expect(fs.existsSync(path.join(dir, OWNER_FILE))).toBe(false);
  }, 60_000);

  it('an owner killed with SIGKILL leaves a stale endpoint, which the next process reclaims', async () => {
    const victim = holder(dir, 600_000);
    const report = await victim.report;
    expect(report.role).toBe('owner');
    const stale = readOwnerRecord(dir).record;
    expect(stale?.pid).toBe(report.pid);
    victim.child.kill('SIGKILL');
    await victim.exited;
    // The dead owner's files are still there, and nothing answers at the endpoint.
    expect(fs.existsSync(path.join(dir, OWNER_FILE))).toBe(true);
    if (process.platform !== 'win32') {
      expect(fs.existsSync(stale?.endpoint ?? '')).toBe(true);
      await expect(greet(stale?.endpoint ?? '', stale?.token ?? '')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
    const claim = await claimDataFolder(dir, { kind: 'cli', command: 'test' });
    expect(claim.owned).toBeDefined();
    const record = readOwnerRecord(dir).record;
    expect(record).toMatchObject({ pid: process.pid, command: 'test' });
    expect(record?.token).not.toBe(stale?.token);
    await claim.owned?.release();
  }, 60_000);

  it('in one process, a second claim goes through the first; after release the folder is free again', async () => {
    const first = await claimDataFolder(dir, { kind: 'serve', command: 'serve' });
    if (!first.owned) throw new Error('the first claim should own the folder');
    const catalog = await openOwnedCatalog(first.owned, dir, { autoMoves: false, planEveryMs: 0 });
    const second = await claimDataFolder(dir, { kind: 'cli', command: 'stats' });
    expect(second.owned).toBeUndefined();
    expect(second.owner).toMatchObject({ pid: process.pid, kind: 'serve' });
    const created = await second.connection?.client.call('collections/create', { name: 'Through the owner', source: 'local' });
    expect((await catalog.manager.read(null, (s) => s.listCollections())).map((c) => c.id)).toEqual([created?.id]);
    second.connection?.close();
    await catalog.close();
    const third = await claimDataFolder(dir, { kind: 'cli', command: 'stats' });
    expect(third.owned).toBeDefined();
    await third.owned?.release();
  });

  it('keeps its record user-only and refuses a connection without the token; a frame over the limit closes only that connection', async () => {
    const claim = await claimDataFolder(dir, { kind: 'cli', command: 'test' });
    if (!claim.owned) throw new Error('should own the folder');
    const catalog = await openOwnedCatalog(claim.owned, dir, { autoMoves: false, planEveryMs: 0 });
    try {
      const { endpoint, token } = claim.owned.record;
      if (process.platform !== 'win32') {
        expect(fs.statSync(path.join(dir, OWNER_FILE)).mode & 0o777).toBe(0o600);
        expect(fs.statSync(path.dirname(endpoint)).mode & 0o777).toBe(0o700);
        expect(Buffer.byteLength(endpoint)).toBeLessThan(104);
      }
      const wrong = await greet(endpoint, 'x'.repeat(token.length));
      expect(wrong.reply).toMatchObject({ t: 'refused', error: { code: 'invalid-argument' } });
      expect(wrong.closed).toBe(true);

      // A call without a hello is never run: the first line must be the hello.
      const noHello = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(endpoint);
        let text = '';
        socket.on('error', reject);
        socket.on('connect', () => socket.write(`${JSON.stringify({ t: 'call', id: 1, channel: 'collections/create', args: { name: 'Intruder', source: 'local' } })}\n`));
        socket.on('data', (c: Buffer) => {
          text += c.toString('utf8');
        });
        socket.on('close', () => resolve(text));
      });
      expect(noHello).toContain('"refused"');
      expect(await catalog.manager.read(null, (s) => s.listCollections())).toEqual([]);

      const oversized = await new Promise<boolean>((resolve) => {
        const socket = net.connect(endpoint);
        socket.on('error', () => undefined);
        // Read, so that the owner's closing of the connection is seen.
        socket.resume();
        socket.on('connect', () => {
          socket.write(`${JSON.stringify({ t: 'hello', token })}\n`);
          socket.write(Buffer.alloc(MAX_FRAME_BYTES + 1024, 0x61));
        });
        socket.on('close', () => resolve(true));
      });
      expect(oversized).toBe(true);
      // The owner is still there for everyone else.
      const again = await claimDataFolder(dir, { kind: 'cli', command: 'stats' });
      expect((await again.connection?.client.call('catalog/stats', {}))?.engine).toBe('sqlite');
      again.connection?.close();
    } finally {
      await catalog.close();
    }
  });
});
