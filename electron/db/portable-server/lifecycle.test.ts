/**
 * The portable server's life across app sessions, on one data folder and real processes:
 * clean stop, warm restart, a stale lock file, an orphaned server, a SIGKILL crash, a taken
 * port and a cluster of another major version. The tests run in order and share the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCode } from '../conformance/expect-code';
import { setAsideCluster } from './cluster';
import { portableLayout } from './layout';
import { readManifest } from './manifest';
import { ensurePortableServer, type PortableServer, type PortableServerOptions, type PortableServerProgress } from './portable-server';
import { isAlive, readPidFile } from './postmaster-pid';
import { StartFailure, launch, logTail } from './server-process';
import { serverUser } from './server-user';
import { readPassword } from './superuser-password';
import { REPO_RESOURCES, startTestServer } from './test-server-setup';
import { childPids, query } from './testing';

let dataDir: string;
let server: PortableServer | null = null;
const running = new Set<PortableServer>();
const helpers: ChildProcess[] = [];

async function start(extra: Partial<PortableServerOptions> = {}): Promise<{ server: PortableServer; events: PortableServerProgress[]; ms: number }> {
  const events: PortableServerProgress[] = [];
  const started = performance.now();
  const s = await ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES, database: 'strata_test', onProgress: (e) => events.push(e), ...extra });
  running.add(s);
  server = s;
  return { server: s, events, ms: performance.now() - started };
}

async function stop(s: PortableServer): Promise<void> {
  await s.stop();
  running.delete(s);
}

const count = async (s: PortableServer): Promise<number> => Number((await query<{ n: string }>(s.connectionString, 'SELECT count(*) AS n FROM kept'))[0]?.n);

beforeAll(async () => {
  // The first start (extract + initdb) through the same helper the test suites use.
  const first = await startTestServer();
  dataDir = first.dataDir;
  await query(first.server.connectionString, 'CREATE TABLE kept (id int PRIMARY KEY, note text)');
  await first.server.stop();
}, 180_000);

afterAll(async () => {
  for (const s of running) await s.stop();
  for (const h of helpers) h.kill('SIGKILL');
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('portable server lifecycle', () => {
  it('starts warm, on the same port as last time, and stops cleanly', async () => {
    // The binaries of a build an earlier app version shipped go once the server is up.
    const oldBuild = path.join(dataDir, 'postgres', 'bin-18.0-0123abcd');
    fs.mkdirSync(path.join(oldBuild, 'bin'), { recursive: true });
    const { server: s, events, ms } = await start();
    expect(fs.existsSync(oldBuild)).toBe(false);
    expect(events.map((e) => e.phase)).toEqual(['start', 'ready']);
    expect(ms).toBeLessThan(3000);
    const pid = s.pid;
    await query(s.connectionString, "INSERT INTO kept VALUES (1, 'before restart')");
    const port = s.port;
    await stop(s);

    expect(isAlive(pid)).toBe(false);
    expect(readPidFile(s.pgData)).toBeNull();
    expect(logTail(path.join(s.pgData, 'log'))).toMatch(/database system is shut down/u);

    const again = await start();
    expect(again.server.port).toBe(port);
    expect(await count(again.server)).toBe(1);
    await stop(again.server);
  });

  it('ignores a stale postmaster.pid whose pid now belongs to another program', async () => {
    // After a reboot the old pid is often some other live process; PostgreSQL alone would refuse.
    const other = spawn('sleep', ['60'], { stdio: 'ignore' });
    helpers.push(other);
    const pgData = portableLayout(dataDir, readManifest(REPO_RESOURCES)).pgData;
    fs.writeFileSync(path.join(pgData, 'postmaster.pid'), `${other.pid}\n${pgData}\n1700000000\n5432\n\n127.0.0.1\n  1234   5678\nready   \n`);
    const { server: s, events } = await start();
    expect(events).toContainEqual({ phase: 'recover', reason: 'stale-pid-file', pid: other.pid });
    expect(await count(s)).toBe(1);
    expect(isAlive(other.pid ?? 0)).toBe(true);
    await stop(s);
  });

  it('never stops a postgres of another data folder that holds the recorded pid', async () => {
    const other = await startTestServer();
    try {
      const pgData = portableLayout(dataDir, readManifest(REPO_RESOURCES)).pgData;
      fs.writeFileSync(path.join(pgData, 'postmaster.pid'), `${other.server.pid}\n${pgData}\n1700000000\n5432\n\n127.0.0.1\n  1234   5678\nready   \n`);
      const { server: s, events } = await start();
      expect(events).toContainEqual({ phase: 'recover', reason: 'stale-pid-file', pid: other.server.pid });
      expect(await query(other.server.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      await stop(s);
    } finally {
      await other.dispose();
    }
  });

  it('stops a server left running by an earlier session and starts its own', async () => {
    const { server: orphan } = await start();
    const { server: s, events } = await start();
    expect(events).toContainEqual({ phase: 'recover', reason: 'orphan-server', pid: orphan.pid });
    expect(isAlive(orphan.pid)).toBe(false);
    running.delete(orphan);
    expect(await count(s)).toBe(1);
    await stop(s);
  });

  it('recovers from a SIGKILL crash with every committed row intact', async () => {
    const { server: s } = await start();
    const exits: unknown[] = [];
    s.onUnexpectedExit((info) => exits.push(info));
    await query(s.connectionString, "INSERT INTO kept SELECT g, 'committed' FROM generate_series(2, 5001) g");
    // An open transaction at the moment of the crash must vanish, not half-apply.
    const open = await import('pg').then(({ default: pg }) => new pg.Client({ connectionString: s.connectionString }));
    open.on('error', () => undefined);
    await open.connect();
    await open.query("BEGIN; INSERT INTO kept VALUES (999999, 'uncommitted')");

    // Kill the postmaster and every child at once, as a crash of the machine would leave it.
    const victims = [s.pid, ...childPids(s.pid)];
    for (const pid of victims) process.kill(pid, 'SIGKILL');
    for (const pid of victims) while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
    await open.end().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL' }]);
    running.delete(s);
    expect(readPidFile(s.pgData)?.pid).toBe(s.pid);

    const { server: after, events } = await start();
    expect(events).toContainEqual({ phase: 'recover', reason: 'stale-pid-file', pid: s.pid });
    expect(await count(after)).toBe(5001);
    expect(await query(after.connectionString, 'SELECT 1 FROM kept WHERE id = 999999')).toEqual([]);
    expect(logTail(path.join(after.pgData, 'log'), 20_000)).toMatch(/database system was interrupted|was not properly shut down/u);
    await stop(after);
  });

  it('recovers when only the postmaster was killed and its children were still winding down', async () => {
    // What the OOM killer or a task manager does: one process gone, its backends still attached
    // to the shared memory for a moment. The next start must wait for them, not fail.
    const { server: s } = await start();
    await query(s.connectionString, "INSERT INTO kept VALUES (6000, 'before the kill')");
    const children = childPids(s.pid);
    expect(children.length).toBeGreaterThan(0);
    process.kill(s.pid, 'SIGKILL');
    while (isAlive(s.pid)) await new Promise((r) => setTimeout(r, 10));
    running.delete(s);

    const { server: after } = await start();
    expect(await count(after)).toBe(5002);
    for (const pid of children) expect(isAlive(pid)).toBe(false);
    await stop(after);
  });

  it('moves to a free port when its last one is taken, and says so when a fixed one is', async () => {
    const { server: s } = await start();
    const lastPort = s.port;
    await stop(s);
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: lastPort }, r));
    try {
      const moved = await start();
      expect(moved.server.port).not.toBe(lastPort);
      expect(await count(moved.server)).toBe(5002);
      await stop(moved.server);

      const error = await expectCode(start({ port: lastPort }), 'pg-port-in-use');
      expect(error.message).toContain(`Port ${lastPort}`);
      expect(readPidFile(portableLayout(dataDir, readManifest(REPO_RESOURCES)).pgData)).toBeNull();
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('recognises the server’s own bind failure on a taken port (the probe-to-bind race)', async () => {
    const manifest = readManifest(REPO_RESOURCES);
    const layout = portableLayout(dataDir, manifest);
    // A program that holds the port and hangs up on whoever connects.
    const blocker = net.createServer((socket) => socket.destroy());
    await new Promise<void>((r) => blocker.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      fs.writeFileSync(path.join(layout.pgData, 'strata.conf'), fs.readFileSync(path.join(layout.pgData, 'strata.conf'), 'utf8').replace(/^port = \d+$/mu, `port = ${port}`));
      const failure = await launch({ layout, user: serverUser(), port, password: readPassword(layout.passwordFile), timeoutMs: 30_000 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(StartFailure);
      expect((failure as StartFailure).kind).toBe('port-in-use');
      expect((failure as StartFailure).error.code).toBe('pg-port-in-use');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('never mistakes another PostgreSQL server on the port for its own', async () => {
    const other = await startTestServer();
    try {
      const layout = portableLayout(dataDir, readManifest(REPO_RESOURCES));
      const port = other.server.port;
      fs.writeFileSync(path.join(layout.pgData, 'strata.conf'), fs.readFileSync(path.join(layout.pgData, 'strata.conf'), 'utf8').replace(/^port = \d+$/mu, `port = ${port}`));
      const failure = await launch({ layout, user: serverUser(), port, password: readPassword(layout.passwordFile), timeoutMs: 30_000 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(StartFailure);
      expect((failure as StartFailure).error.code).toBe('pg-port-in-use');
      expect(await query(other.server.connectionString, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await other.dispose();
    }
  });

  it('refuses a data folder made by another major version, and starts fresh once it is set aside', async () => {
    const layout = portableLayout(dataDir, readManifest(REPO_RESOURCES));
    fs.writeFileSync(path.join(layout.pgData, 'PG_VERSION'), '17\n');
    const error = await expectCode(start(), 'pg-version-mismatch');
    expect(error.message).toMatch(/PostgreSQL 17.*PostgreSQL 18/su);
    expect(error.details).toMatchObject({ found: '17', expected: '18' });
    expect(readPidFile(layout.pgData)).toBeNull();

    const aside = setAsideCluster(layout.pgData);
    expect(fs.readFileSync(path.join(aside, 'PG_VERSION'), 'utf8').trim()).toBe('17');
    const { server: fresh, events } = await start();
    expect(events.map((e) => e.phase)).toContain('initdb');
    expect(await query(fresh.connectionString, "SELECT 1 FROM pg_tables WHERE tablename = 'kept'")).toEqual([]);
    await stop(fresh);
    expect(server).toBe(fresh);
  });
});

describe('portable server processes', () => {
  it('leaves no postgres process of this data folder running after the stops above', () => {
    const mine = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/u.test(entry))
      .filter((entry) => {
        try {
          return fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dataDir);
        } catch {
          return false;
        }
      });
    expect(mine).toEqual([]);
  });
});
