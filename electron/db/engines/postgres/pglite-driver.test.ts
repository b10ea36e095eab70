/** The PGlite driver on a real PGlite: one connection, serialized correctly, and its folder checks. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { expectCode } from '../../conformance/expect-code';
import { PGLITE_PG_MAJOR } from './pglite-data-dir';
import { PgliteDriver } from './pglite-driver';
import { SerialQueue } from './serial-queue';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs tasks one at a time in order, and goes on after a failure', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run(task('a', 20)), queue.run(task('b', 1, true)), queue.run(task('c', 1))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(queue.size).toBe(0);
  });
});

describe('PgliteDriver', () => {
  let dir: string;
  let driver: PgliteDriver | null = null;

  beforeEach(() => {
    dir = makeTempDir('pglite-driver');
  });

  afterEach(async () => {
    await driver?.close();
    driver = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // The cases about the driver's queue and close, not about a new folder, open a copy of one
  // cluster made once (cleanly closed, as a folder is after its first start): each new one
  // costs an initdb of seconds. The first two cases still open a new folder each.
  let cluster: Promise<string> | null = null;
  afterAll(async () => {
    if (cluster) fs.rmSync(path.dirname(await cluster), { recursive: true, force: true });
  });
  async function openCopiedCluster(): Promise<PgliteDriver> {
    cluster ??= (async () => {
      const where = path.join(makeTempDir('pglite-driver-cluster'), 'db');
      await (await PgliteDriver.open(where)).close();
      return where;
    })();
    fs.cpSync(await cluster, path.join(dir, 'db'), { recursive: true });
    return PgliteDriver.open(path.join(dir, 'db'));
  }

  it('runs the PostgreSQL major version the folder checks expect', async () => {
    driver = await PgliteDriver.open(path.join(dir, 'db'));
    const { rows } = await driver.query<{ v: number }>("SELECT current_setting('server_version_num')::bigint AS v");
    expect(Math.floor((rows[0]?.v ?? 0) / 10_000)).toBe(PGLITE_PG_MAJOR);
    expect(fs.readFileSync(path.join(dir, 'db', 'PG_VERSION'), 'utf8').trim()).toBe(String(PGLITE_PG_MAJOR));
  });

  it('bounds the memory and the write-ahead log PostgreSQL keeps, and COPY reads from one buffer', async () => {
    const db = (driver = await PgliteDriver.open(path.join(dir, 'db')));
    const show = async (name: string): Promise<string> => Object.values((await db.query<Record<string, string>>(`SHOW ${name}`)).rows[0] ?? {})[0] ?? '';
    expect(await show('shared_buffers')).toBe('32MB');
    expect(await show('max_wal_size')).toBe('256MB');
    await db.exec('CREATE TABLE t (v int, s text)');
    // Strings and byte chunks of one COPY, gathered into one buffer (no Blob).
    const copied = await db.copyFrom('t', ['v', 's'], ['1\tone\n', Buffer.from('2\ttwo é\n'), new Uint8Array(Buffer.from('3\tthree\n'))]);
    expect(copied).toBe(3);
    expect((await db.query<{ s: string }>('SELECT s FROM t ORDER BY v')).rows.map((r) => r.s)).toEqual(['one', 'two é', 'three']);
  });

  it('checkpoints once a write leaves more WAL than its limit (a single-user backend never does by itself)', async () => {
    const db = (driver = await PgliteDriver.open(path.join(dir, 'db'), { walCheckpointBytes: 4_000_000 }));
    await db.exec('CREATE TABLE t (v int, s text)');
    // About 10 MB of WAL in one transaction: past the limit, so the commit is followed by a checkpoint.
    await db.transaction((tx) => tx.query("INSERT INTO t SELECT g, repeat('x', 100) FROM generate_series(1, 80000) g"));
    expect(await db.walSinceCheckpoint()).toBeLessThan(4_000_000);
    await db.transaction((tx) => tx.query('INSERT INTO t VALUES (0, $1)', ['small']));
    expect(await db.walSinceCheckpoint()).toBeGreaterThan(0);
  });

  it('runs with fsync on, and a commit reaches fsync(2) on the folder\'s files', async () => {
    driver = await PgliteDriver.open(path.join(dir, 'db'));
    const { rows } = await driver.query<{ fsync: string }>('SHOW fsync');
    expect(rows[0]?.fsync).toBe('on');
    expect((await driver.query<{ wal_sync_method: string }>('SHOW wal_sync_method')).rows[0]?.wal_sync_method).toBe('fsync');
    // A spy, not a stand-in: the real fsyncSync still runs. Without the NODEFS operation
    // PostgreSQL's fsync calls never reach Node at all, and this count stays 0.
    const synced = vi.spyOn(fs, 'fsyncSync');
    try {
      await driver.exec('CREATE TABLE t (v int)');
      const beforeCommit = synced.mock.calls.length;
      await driver.query('INSERT INTO t VALUES (1)');
      // The commit's WAL flush: at least one real fsync of a file descriptor.
      expect(synced.mock.calls.length).toBeGreaterThan(beforeCommit);
    } finally {
      synced.mockRestore();
    }
  });

  it('keeps outside queries out of an open transaction', async () => {
    const db = (driver = await openCopiedCluster());
    await db.exec('CREATE TABLE t (v integer)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let insideStarted!: () => void;
    const started = new Promise<void>((resolve) => (insideStarted = resolve));
    const tx = db.transaction(async (t) => {
      await t.query('INSERT INTO t VALUES (1)');
      insideStarted();
      await gate;
      throw new Error('roll back');
    });
    await started;
    // Sent while the transaction is open: on a bare single connection it would run inside it
    // and be rolled back with it. It must wait and then commit on its own. (PGlite 0.5 also
    // locks around its transactions; the driver's queue keeps the guarantee either way.)
    const outside = db.query('INSERT INTO t VALUES (2)');
    const read = db.query<{ v: number }>('SELECT v FROM t ORDER BY v');
    await sleep(50);
    release();
    await expect(tx).rejects.toThrow('roll back');
    await outside;
    expect((await read).rows.map((r) => r.v)).toEqual([2]);
    expect((await db.query<{ v: number }>('SELECT v FROM t')).rows).toEqual([{ v: 2 }]);
  });

  it('commits a transaction as a whole and returns its value', async () => {
    const db = (driver = await openCopiedCluster());
    await db.exec('CREATE TABLE t (v bigint)');
    const value = await db.transaction(async (t) => {
      await t.query('INSERT INTO t VALUES ($1), ($2)', [2 ** 40, 7]);
      return (await t.query<{ s: number }>('SELECT sum(v)::bigint AS s FROM t')).rows[0]?.s;
    });
    expect(value).toBe(2 ** 40 + 7);
    expect(typeof value).toBe('number');
  });

  it('finishes queued work before closing, then refuses calls', async () => {
    const db = (driver = await openCopiedCluster());
    await db.exec('CREATE TABLE t (v integer)');
    const pending = db.query('INSERT INTO t SELECT generate_series(1, 1000)');
    await db.close();
    await pending;
    await expectCode(db.query('SELECT 1'), 'closed');
    const again = (driver = await PgliteDriver.open(path.join(dir, 'db')));
    expect((await again.query<{ n: number }>('SELECT count(*) AS n FROM t')).rows[0]?.n).toBe(1000);
  });

  it('refuses a folder already open in this process', async () => {
    driver = await openCopiedCluster();
    await expectCode(PgliteDriver.open(path.join(dir, 'db')), 'db-locked');
  });

  it('refuses a data folder written by another PostgreSQL version, and leaves it untouched', async () => {
    for (const [version, code] of [
      ['16', 'db-foreign'],
      ['19', 'db-newer'],
    ] as const) {
      const folder = path.join(dir, `pg${version}`);
      fs.mkdirSync(path.join(folder, 'base'), { recursive: true });
      fs.writeFileSync(path.join(folder, 'PG_VERSION'), `${version}\n`);
      const before = fs.readdirSync(folder, { recursive: true }).sort();
      const error = await expectCode(PgliteDriver.open(folder), code);
      expect(error.message).toContain(`PostgreSQL ${version}`);
      expect(fs.readdirSync(folder, { recursive: true }).sort()).toEqual(before);
    }
  });

  it('refuses a folder of something else', async () => {
    const folder = path.join(dir, 'photos');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'IMG_0001.JPG'), 'not a database');
    await expectCode(PgliteDriver.open(folder), 'db-foreign');
    expect(fs.readdirSync(folder)).toEqual(['IMG_0001.JPG']);
  });
});
