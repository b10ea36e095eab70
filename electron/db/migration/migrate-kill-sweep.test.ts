/**
 * A move between tiers killed at every state of its journal, and at random moments, then run
 * again: the real `strata migrate` process is SIGKILLed (by its own crash point at an exact
 * state boundary, or by the test after a random delay), the same command is run again, and
 * the active store must then hold exactly the source's rows, table by table, pass its check,
 * and be the only copy in the folder. Every target this build can move to is covered: one
 * SQLite file, sharded, PGlite, and a real PostgreSQL server (the test server, by URL).
 *
 * The states: each table's batches committed in the target before the journal knew
 * (`loaded:`), each table marked copied (`copied:`, where a PGlite resume once failed because
 * the copied table's deferred keys were never rebuilt), the second segments checkpoint, the
 * index rebuild done, verification passed, the pointer switched. `npm test` kills at the states
 * that differ most (random-delay kills are in migrate-data-folder.test.ts); the long mode sweeps them all
 * everywhere and adds hundreds of random kills (STRATA_KILL_TRIALS).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { libraryBatch, manyFilesBatch } from '../conformance/fixtures';
import { makeTempDir } from '../conformance/test-engines';
import { TEST_PG_URL_ENV, ensureTestDatabase } from '../engines/postgres/testing/pg-test-database';
import { LONG, killTrials, reportFigure, seeded } from '../faults/kill-trials';
import { jsonResult, runCli, type CliRun } from '../faults/run-cli';
import { TableDigest } from './rows/table-digest';
import { openStore, openStoreRecord } from '../open-store';
import { TABLES, type CatalogStore } from '../store';
import { ControlDb } from '../manager/control-db';
import { MoveJournal } from './move-journal';

type Source = 'sqlite' | 'sharded';
type Target = 'sqlite' | 'sharded' | 'pglite' | 'postgres';

interface Combo {
  from: Source;
  to: Target;
  points: string[];
  /** Random-delay kills after the sweep. */
  trials: number;
}

const ALL_POINTS = [...TABLES.flatMap((t) => [`loaded:${t}`, `copied:${t}`]), 'batch:segments@2', 'indexed', 'verified', 'switched'];
// Each move here costs 5-40 s on this shared 2-core machine (a move into PGlite starts a new
// cluster first), so `npm test` kills at the states that differ most in what a resume must
// redo: a table copied but its deferred keys not rebuilt (where the PGlite resume failed),
// segments past the journal or mid-copy, indexes built, verified, switched. The long mode
// sweeps every state on every target and adds random kills.
const PG_POINTS = ['copied:files', 'indexed'];
const FILE_POINTS = ['copied:files', 'batch:segments@2', 'switched'];

const pgUrl = process.env[TEST_PG_URL_ENV];
const COMBOS: Combo[] = [
  { from: 'sqlite', to: 'pglite', points: LONG ? ALL_POINTS : PG_POINTS, trials: killTrials(0, 10) },
  { from: 'sqlite', to: 'sharded', points: LONG ? ALL_POINTS : FILE_POINTS, trials: killTrials(0, 40) },
  { from: 'sharded', to: 'sqlite', points: LONG ? ALL_POINTS : FILE_POINTS.slice(1, 2), trials: killTrials(0, 40) },
  ...(pgUrl ? [{ from: 'sqlite', to: 'postgres', points: LONG ? ALL_POINTS : ['copied:files'], trials: killTrials(0, 10) } satisfies Combo] : []),
];

interface MigrateJson {
  resumed: boolean;
  verified: boolean;
  rows: number;
  to: { engine: string };
}

type Digests = Record<string, string>;

async function digestsOf(store: CatalogStore): Promise<Digests> {
  const out: Digests = {};
  for (const table of TABLES) {
    const digest = new TableDigest(table);
    for await (const batch of store.streamTable(table, { batchSize: 10_000 })) for (const row of batch.rows) digest.addRow(row);
    out[table] = digest.toString();
  }
  return out;
}

/** A data folder on `engine` holding every kind of row; closed cleanly, ready to be copied per trial. */
async function makeTemplate(engine: Source): Promise<{ dir: string; digests: Digests }> {
  const dir = makeTempDir(`kill-sweep-${engine}`);
  const store = await openStore(dir, { engine, ...(engine === 'sharded' ? { sharded: { shards: 3 } } : {}) });
  try {
    const library = await store.createCollection({ name: 'Library', source: 'nzb' });
    await store.ingest(library.id, [libraryBatch()]);
    const bulk = await store.createCollection({ name: 'Bulk', source: 'local', rootPath: '/data/bulk' });
    // 45,000 segments: three segments batches at the migration's batch size of 20,000.
    await store.ingest(bulk.id, generateCatalog({ segments: 45_000, seed: 9, batchSegments: 5_000 }));
    await store.ingest(bulk.id, [manyFilesBatch(30, 'Extra')]);
    const gone = await store.createCollection({ name: 'Gone', source: 'nzb' });
    await store.ingest(gone.id, [manyFilesBatch(5)]);
    await store.deleteCollection(gone.id);
    const file = (await store.listFiles({ collectionId: library.id, limit: 1 })).items[0]!;
    await store.updateSegments([{ fileId: file.id, number: 1, state: 'missing' }]);
    return { dir, digests: await digestsOf(store) };
  } finally {
    await store.close();
  }
}

const describeRun = (run: CliRun): string => `exit ${String(run.code)}${run.killed ? ' (SIGKILL)' : ''}: ${run.stdout.slice(0, 300)} ${run.stderr.slice(-800)}`;

describe('a move killed at any point resumes to exactly the source', () => {
  const templates = new Map<Source, Promise<{ dir: string; digests: Digests }>>();
  const made: string[] = [];
  const template = (engine: Source): Promise<{ dir: string; digests: Digests }> => {
    let t = templates.get(engine);
    if (!t) {
      t = makeTemplate(engine);
      templates.set(engine, t);
    }
    return t;
  };

  beforeAll(async () => {
    await Promise.all([...new Set(COMBOS.map((c) => c.from))].map((e) => template(e)));
  }, 120_000);
  afterAll(async () => {
    for (const t of templates.values()) fs.rmSync((await t).dir, { recursive: true, force: true });
    for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function trialFolder(combo: Combo, label: string): Promise<{ dir: string; args: string[] }> {
    const dir = makeTempDir(`kill-${combo.to}-${label.replace(/[^a-z0-9]+/giu, '-')}`);
    made.push(dir);
    fs.cpSync((await template(combo.from)).dir, dir, { recursive: true });
    const url = combo.to === 'postgres' && pgUrl ? await ensureTestDatabase(pgUrl, dir) : null;
    return { dir, args: ['migrate', '--to', combo.to, '--data', dir, '--json', ...(url ? ['--url', url] : [])] };
  }

  /** The folder now serves the target, holding exactly the source's rows, and no other copy is left. */
  async function expectMovedExactly(combo: Combo, dir: string): Promise<void> {
    const { active, previous, running } = ControlDb.using(dir, (c) => ({ active: c.activeStore(), previous: c.storeWithRole('previous'), running: new MoveJournal(c).runningJob() }));
    expect(running).toBeNull();
    expect(active?.engine).toBe(combo.to);
    expect(previous?.engine).toBe(combo.from);
    const store = await openStoreRecord(dir, active!);
    try {
      expect(await digestsOf(store)).toEqual((await template(combo.from)).digests);
      expect((await store.checkIntegrity()).problems).toEqual([]);
    } finally {
      await store.close();
    }
    // One copy: an interrupted run's partial copy was resumed, not left beside a second one.
    const copies = fs.existsSync(path.join(dir, 'stores')) ? fs.readdirSync(path.join(dir, 'stores')) : [];
    expect(copies.length).toBeLessThanOrEqual(1);
  }

  for (const combo of COMBOS) {
    describe(`${combo.from} -> ${combo.to}`, () => {
      for (const point of combo.points) {
        it(`killed at ${point}`, async () => {
          const started = performance.now();
          const { dir, args } = await trialFolder(combo, point);
          const killed = await runCli(args, { env: { STRATA_CRASH_AT: point } });
          expect(killed.killed, describeRun(killed)).toBe(true);
          if (point === 'switched') {
            // The pointer already names the copy: the next command simply opens it.
            const check = await runCli(['check', '--data', dir, '--json']);
            expect(check.code, describeRun(check)).toBe(0);
          } else {
            const again = await runCli(args);
            expect(again.code, describeRun(again)).toBe(0);
            const result = jsonResult<MigrateJson>(again);
            expect(result.verified).toBe(true);
            // Past the first table's first checkpoint the journal has something to resume from.
            if (!point.startsWith('loaded:collections')) expect(result.resumed).toBe(true);
          }
          await expectMovedExactly(combo, dir);
          reportFigure({ suite: 'migrate', case: `${combo.from}->${combo.to} at ${point}`, trials: 1, killed: 1, finishedFirst: 0, resumed: 1, ok: 1, elapsedMs: performance.now() - started });
          // Two moves and a comparison: 10-40 s on a quiet 2-core machine, minutes under a load of 30.
        }, 600_000);
      }

      const trials = combo.trials;
      if (trials > 0) it(`${trials} random kills`, async () => {
        const started = performance.now();
        // How long an uninterrupted move takes here, so kills land anywhere in it.
        const { dir: first, args: firstArgs } = await trialFolder(combo, 'full');
        const full = await runCli(firstArgs);
        expect(full.code, describeRun(full)).toBe(0);
        await expectMovedExactly(combo, first);
        fs.rmSync(first, { recursive: true, force: true });
        const random = seeded(0x5eed + combo.to.length * 31 + combo.from.length);
        let killed = 0;
        let finishedFirst = 0;
        for (let trial = 0; trial < trials; trial++) {
          const { dir, args } = await trialFolder(combo, `random-${trial}`);
          const delay = Math.round(random() * full.elapsedMs);
          const run = await runCli(args, { killAfterMs: delay });
          if (run.killed) {
            killed++;
            const again = await runCli(args);
            // A kill after the switch but before the process ended leaves nothing to move.
            const switched = ControlDb.using(dir, (c) => c.activeStore()?.engine === combo.to && new MoveJournal(c).runningJob() === null);
            if (!(switched && again.code !== 0)) expect(again.code, `trial ${trial} (kill at ${delay} ms): ${describeRun(again)}`).toBe(0);
          } else {
            finishedFirst++;
            expect(run.code, describeRun(run)).toBe(0);
          }
          await expectMovedExactly(combo, dir);
          fs.rmSync(dir, { recursive: true, force: true });
        }
        reportFigure({ suite: 'migrate-random', case: `${combo.from}->${combo.to}`, trials, killed, finishedFirst, resumed: killed, ok: trials, elapsedMs: performance.now() - started });
      }, 300_000 + trials * 240_000);
    });
  }
});
