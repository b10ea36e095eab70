/**
 * Moving a data folder between engines as a user does it: through the pointer, with the
 * source untouched, a rollback that is one call, and a migration killed again and again that
 * resumes to exactly the source's rows.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { openStore } from '../open-store';
import { TABLES, type CatalogStore, type Row } from '../store';
import pg from 'pg';
import { TEST_PG_URL_ENV, ensureTestDatabase } from '../engines/postgres/testing/pg-test-database';
import { ControlDb } from '../manager/control-db';
import { migrateDataFolder, rollbackDataFolder } from './migrate-data-folder';

const BIN = path.resolve('bin/strata.js');
const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function rows(store: CatalogStore): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of TABLES) {
    out[table] = [];
    for await (const batch of store.streamTable(table, { batchSize: 20_000 })) out[table].push(...batch.rows);
  }
  return out;
}

async function snapshot(dataDir: string): Promise<{ engine: string; rows: Record<string, Row[]> }> {
  const store = await openStore(dataDir);
  try {
    return { engine: store.capabilities.engine, rows: await rows(store) };
  } finally {
    await store.close();
  }
}

function readControl<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'control.db'), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const checkpointsOfRunningJob = (dataDir: string): number =>
  fs.existsSync(path.join(dataDir, 'control.db'))
    ? readControl(dataDir, (db) => (db.prepare("SELECT count(*) AS n FROM job_tables t JOIN jobs j ON j.id = t.job_id WHERE j.state = 'running'").get() as { n: number }).n)
    : 0;

const lastJobState = (dataDir: string): string | undefined =>
  readControl(dataDir, (db) => (db.prepare('SELECT state FROM jobs ORDER BY id DESC LIMIT 1').get() as { state: string } | undefined)?.state);

describe('moving a data folder between engines', () => {
  let data: string;
  // The same 120,000-segment catalog for every case: generated once, closed cleanly, and copied
  // into a data folder of each case's own (the cases move, roll back and kill their copy).
  let template: string;
  beforeAll(async () => {
    template = makeTempDir('migrate-template');
    const store = await openStore(template);
    const c = await store.createCollection({ name: 'Trial', source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments: 120_000, seed: 9, batchSegments: 10_000 }));
    await store.close();
  });
  afterAll(() => {
    fs.rmSync(template, { recursive: true, force: true });
  });
  beforeEach(() => {
    data = makeTempDir('migrate');
    fs.cpSync(template, data, { recursive: true });
  });
  afterEach(() => {
    fs.rmSync(data, { recursive: true, force: true });
  });

  it('switches only after verifying, leaves the source untouched, and rolls back in one call', async () => {
    const before = await snapshot(data);
    const sourceHash = sha256(path.join(data, 'strata.db'));
    const result = await migrateDataFolder(data, { to: 'sharded', shards: 3 });
    expect(result.verification.every((v) => v.ok)).toBe(true);
    expect(sha256(path.join(data, 'strata.db'))).toBe(sourceHash);
    const after = await snapshot(data);
    expect(after.engine).toBe('sharded');
    expect(after.rows).toEqual(before.rows);

    const back = rollbackDataFolder(data);
    expect(back.engine).toBe('sqlite');
    expect((await snapshot(data)).engine).toBe('sqlite');
    // And forward again: the kept sharded store becomes active without copying anything.
    expect(rollbackDataFolder(data).engine).toBe('sharded');

    // Downgrade: sharded -> one file, verified the same way.
    await migrateDataFolder(data, { to: 'sqlite' });
    const down = await snapshot(data);
    expect(down.engine).toBe('sqlite');
    expect(down.rows).toEqual(before.rows);
  }, 120_000);

  it('moves to PGlite and to the portable PostgreSQL server, verified, and back', async () => {
    const before = await snapshot(data);
    const toPglite = await migrateDataFolder(data, { to: 'pglite' });
    expect(toPglite.verification.every((v) => v.ok)).toBe(true);
    expect(await snapshot(data)).toEqual({ engine: 'pglite', rows: before.rows });
    // The portable server starts with the store and stops when it closes.
    const toServer = await migrateDataFolder(data, { to: 'postgres' });
    expect(toServer.to.engine).toBe('postgres');
    expect(await snapshot(data)).toEqual({ engine: 'postgres', rows: before.rows });
    expect(rollbackDataFolder(data).engine).toBe('pglite');
    expect((await snapshot(data)).engine).toBe('pglite');
  }, 240_000);

  it('moves onto an existing server named by a connection string and refuses a database that already holds a catalog', async () => {
    const before = await snapshot(data);
    const url = await ensureTestDatabase(process.env[TEST_PG_URL_ENV]!, `${data}#existing`);
    const moved = await migrateDataFolder(data, { to: 'postgres', url });
    expect(moved.verification.every((v) => v.ok)).toBe(true);
    expect(await snapshot(data)).toEqual({ engine: 'postgres', rows: before.rows });
    // The password stays out of the control database; the secret file is the user's alone.
    expect(fs.readFileSync(path.join(data, 'control.db')).includes(Buffer.from(new URL(url).password))).toBe(false);
    const secrets = fs.readdirSync(path.join(data, 'secrets'));
    expect(fs.statSync(path.join(data, 'secrets', secrets[0]!)).mode & 0o077).toBe(0);
    expect(rollbackDataFolder(data).engine).toBe('sqlite');
    // That database now holds a catalog: a second move there is refused, and nothing of it is dropped.
    await expectCode(migrateDataFolder(data, { to: 'postgres', url }), 'conflict');
    const check = new pg.Client({ connectionString: url });
    await check.connect();
    try {
      expect(Number((await check.query<{ n: string }>('SELECT count(*) AS n FROM segments')).rows[0]?.n)).toBe(before.rows.segments?.length);
      await check.query('DROP TABLE segments, file_groups, files, folders, groups, nzb_sources, collections, schema_version CASCADE');
    } finally {
      await check.end();
    }
  }, 240_000);

  it('refuses early when the disk cannot hold the copy, changing nothing', async () => {
    const control = ControlDb.open(data);
    const pointerBefore = control.activeStore();
    control.close();
    const realStatfs = fs.statfsSync;
    fs.statfsSync = ((p: fs.PathLike) => ({ ...realStatfs(p), bavail: 1, bsize: 4096 })) as typeof fs.statfsSync;
    try {
      const error = await expectCode(migrateDataFolder(data, { to: 'sharded' }), 'disk-full');
      // In the unit that fits: a few MB needed, 4 KB free (not "1 GB ... 0 GB").
      expect(error.message).toMatch(/needs about [\d.]+ MB free beside it and the disk has 4\.1 KB/u);
    } finally {
      fs.statfsSync = realStatfs;
    }
    const control2 = ControlDb.open(data);
    expect(control2.activeStore()).toEqual(pointerBefore);
    control2.close();
  });

  it('resumes a migration killed at many points and ends with exactly the source rows', async () => {
    const before = await snapshot(data);
    const sourceHash = sha256(path.join(data, 'strata.db'));
    /** Runs that started with checkpoints left by a killed one: they resume rather than restart. */
    let resumingRuns = 0;
    let kills = 0;
    let finished = false;
    // Each run is killed a little later after it starts copying, until one completes (or a kill
    // lands after the switch, which is a completed move too).
    for (let attempt = 0; attempt < 25 && !finished; attempt++) {
      const resuming = checkpointsOfRunningJob(data) > 0;
      if (resuming) resumingRuns++;
      // Later and later (x1.4 a run): early kills land in the copy, and a late one lets a slow
      // machine's run complete, so the loop ends with a finished move however fast this machine is.
      const delayMs = Math.round(100 * 1.4 ** attempt);
      const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'migrate', '--to', 'sharded', '--shards', '3', '--json', '--data', data], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, STRATA_DATA_DIR: '' },
        });
        let stdout = '';
        let armed = false;
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => {
          if (!armed && c.toString().includes('"progress"')) {
            armed = true;
            setTimeout(() => child.kill('SIGKILL'), delayMs);
          }
        });
        child.on('exit', (code, signal) => resolve({ code, signal, stdout }));
      });
      if (outcome.signal === 'SIGKILL') {
        kills++;
        finished = lastJobState(data) === 'switched';
        continue;
      }
      expect(outcome.code, outcome.stdout).toBe(0);
      const result = JSON.parse(outcome.stdout.trim().split('\n').pop() ?? '{}') as { verified: boolean; resumed: boolean };
      expect(result.verified).toBe(true);
      // The run that completes resumed if an earlier one left checkpoints, and says so.
      expect(result.resumed).toBe(resuming);
      finished = true;
    }
    expect(finished).toBe(true);
    expect(lastJobState(data)).toBe('switched');
    // Otherwise the case would not have tested resuming at all.
    expect(kills, `${kills} kills`).toBeGreaterThanOrEqual(3);
    expect(resumingRuns).toBeGreaterThanOrEqual(1);
    expect(sha256(path.join(data, 'strata.db'))).toBe(sourceHash);
    const after = await snapshot(data);
    expect(after.engine).toBe('sharded');
    expect(after.rows).toEqual(before.rows);
  }, 300_000);
});
