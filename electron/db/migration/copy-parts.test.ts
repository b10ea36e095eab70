/**
 * A move from one SQLite file into a PostgreSQL server fills segments one hash partition per
 * transaction (copy-parts.ts, pg-partition-load.ts): the journal counts partitions in order,
 * every row lands in its partition with the primary key built, and a move stopped between a
 * partition's COMMIT and its journal entry resumes to the same verified result. The journal
 * is the real one in a control database, so its parts survive a reopen.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { makeTempDir } from '../conformance/test-engines';
import { expectCode } from '../conformance/expect-code';
import { openPostgresStore } from '../engines/postgres/open-pg-store';
import { TEST_PG_URL_ENV, ensureTestDatabase } from '../engines/postgres/testing/pg-test-database';
import { SqliteStore } from '../engines/sqlite/sqlite-store';
import { ControlDb } from '../manager/control-db';
import type { CatalogStore, TableLoader, TableName, TextBatch } from '../store';
import { copyStore } from './copy-store';
import type { MigrationJournal, TableCheckpoint } from './migration-journal';
import { MoveJournal } from './move-journal';
import { NodePgDriver } from '../engines/postgres/node-pg-driver';

const serverUrl = process.env[TEST_PG_URL_ENV];
const PARTITIONS = 8;

describe.skipIf(!serverUrl)('a move into a server, one partition per transaction', () => {
  const dirs: string[] = [];
  const open: { close(): Promise<void> | void }[] = [];
  afterEach(async () => {
    for (const s of open.splice(0).reverse()) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function stores(label: string): Promise<{ source: CatalogStore; target: CatalogStore; url: string; journal: () => MigrationJournal }> {
    const dir = makeTempDir(`copy-parts-${label}`);
    dirs.push(dir);
    const source = await SqliteStore.open(path.join(dir, 'strata.db'));
    open.push(source);
    const collection = await source.createCollection({ name: 'Bulk', source: 'local', rootPath: '/bulk' });
    await source.ingest(collection.id, generateCatalog({ segments: 24_000, seed: 5, batchSegments: 6_000 }));
    const url = await ensureTestDatabase(serverUrl as string, dir);
    const target = await openPostgresStore(url, { segmentPartitions: PARTITIONS });
    open.push(target);
    const control = ControlDb.open(dir);
    open.push(control);
    const moves = new MoveJournal(control);
    const job = moves.startJob(control.adopt('sqlite', path.join(dir, 'strata.db')).id, control.addTarget('postgres', 'test', {}).id);
    // A fresh reader of the same job each time: what a new process would find.
    return { source, target, url, journal: () => new MoveJournal(control).checkpoints(job.id) };
  }

  it('records each partition as it commits and builds each partition key', async () => {
    const { source, target, url, journal } = await stores('plain');
    const saved: TableCheckpoint[] = [];
    const real = journal();
    const watching: MigrationJournal = { resumed: false, checkpoint: (t) => real.checkpoint(t), save: (p) => (saved.push({ ...p }), real.save(p)) };
    const result = await copyStore(source, target, { journal: watching, batchSize: 5_000 });
    expect(result.verification.every((v) => v.ok)).toBe(true);
    const parts = saved.filter((p) => p.table === 'segments' && !p.done).map((p) => p.parts);
    expect(parts).toEqual(Array.from({ length: PARTITIONS }, (_, i) => i + 1));
    const driver = await NodePgDriver.open({ connectionString: url });
    try {
      const keys = await driver.queryRows<{ n: number }>(
        "SELECT count(*)::bigint AS n FROM pg_constraint k JOIN pg_inherits i ON i.inhrelid = k.conrelid WHERE i.inhparent = 'segments'::regclass AND k.contype = 'p'",
      );
      expect(keys[0]?.n).toBe(PARTITIONS);
      const parent = await driver.queryRows<{ n: number }>("SELECT count(*)::bigint AS n FROM pg_constraint WHERE conrelid = 'segments'::regclass AND contype = 'p'");
      expect(parent[0]?.n).toBe(1);
    } finally {
      await driver.close();
    }
    expect((await target.checkIntegrity()).problems).toEqual([]);
  }, 120_000);

  it('resumes after a partition committed that the journal never recorded', async () => {
    const { source, target, journal } = await stores('resume');
    const stop = new AbortController();
    const real = journal();
    let recorded = 0;
    // Killed right after the third partition's COMMIT: its journal entry is lost.
    const forgetful: MigrationJournal = {
      resumed: false,
      checkpoint: (t: TableName) => real.checkpoint(t),
      save: (p) => {
        if (p.table === 'segments' && !p.done && ++recorded >= 3) {
          stop.abort();
          return;
        }
        real.save(p);
      },
    };
    await expectCode(copyStore(source, target, { journal: forgetful, batchSize: 5_000, signal: stop.signal }), 'cancelled');
    const point = journal().checkpoint('segments');
    expect(point.parts).toBe(2);
    expect(point.lastKey).toBeNull();
    const result = await copyStore(source, target, { journal: journal(), batchSize: 5_000 });
    expect(result.verification.every((v) => v.ok)).toBe(true);
    expect(result.verification.find((v) => v.table === 'segments')?.targetRows).toBe(24_000);
    expect((await target.checkIntegrity()).problems).toEqual([]);
  }, 120_000);

  /** The target's loader with each partition's first batch passed through `change` (its lines, without newlines). */
  function tamperParts(target: CatalogStore, change: (lines: string[]) => string[]): void {
    const real = target.openLoader!.bind(target);
    target.openLoader = async (): Promise<TableLoader> => {
      const loader = await real();
      const loadPart = loader.loadPart!.bind(loader);
      return {
        ...loader,
        load: loader.load.bind(loader),
        finish: () => loader.finish(),
        loadPart: (table, part, batches, copied) => {
          async function* changed(): AsyncGenerator<TextBatch> {
            let first = true;
            for await (const batch of batches) {
              if (!first) {
                yield batch;
                continue;
              }
              first = false;
              const lines = change(batch.text.toString('utf8').split('\n').slice(0, -1));
              yield { ...batch, text: Buffer.from(lines.map((l) => `${l}\n`).join('')), rows: lines.length };
            }
          }
          return loadPart(table, part, changed(), copied);
        },
      };
    };
  }

  it('verifies segments with the server’s record hash of every row', async () => {
    const { source, target, journal } = await stores('record');
    const result = await copyStore(source, target, { journal: journal(), batchSize: 5_000 });
    const segments = result.verification.find((v) => v.table === 'segments');
    expect(segments).toMatchObject({ ok: true, sourceRows: 24_000, targetRows: 24_000 });
    expect(segments?.targetDigest).toMatch(/^24000 rows, record hash [0-9a-f]{16}$/u);
    expect(segments?.sourceDigest).toBe(segments?.targetDigest);
  }, 120_000);

  it('refuses a move whose segments rows traded values (message ids swapped between two rows)', async () => {
    const { source, target, journal } = await stores('swapped');
    // Same values in the same columns overall, only two rows exchanged them: a digest of
    // columns summed separately would not see it; one hash per row does.
    tamperParts(target, (lines) => {
      const [a, b, ...rest] = lines.map((l) => l.split('\t'));
      if (!a || !b) return lines;
      [a[5], b[5]] = [b[5] as string, a[5] as string];
      return [a, b, ...rest].map((f) => f.join('\t'));
    });
    const error = await expectCode(copyStore(source, target, { journal: journal(), batchSize: 5_000 }), 'internal');
    expect(error.message).toContain('segments');
  }, 120_000);
});
