/**
 * One Strata migration in its own process, so its peak memory is its own (worker threads
 * included) and not the bench harness's: the real engine (copyStore) with the real
 * checkpoint journal in a control database, from a cached catalog to a new store, copy +
 * indexes + verification, everything a switch waits for. Prints one JSON line.
 *
 *   node --import tsx scripts/bench/migrate-phase.ts --source <data folder> --from sqlite
 *        --to postgres --url <database url> --work <scratch folder>
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { EngineName } from '../../shared/domain';
import { ControlDb } from '../../electron/db/manager/control-db';
import { copyStore, type MigrationProgress } from '../../electron/db/migration/copy-store';
import { MIGRATION_SOURCE_OPTIONS } from '../../electron/db/migration/source-options';
import { MoveJournal } from '../../electron/db/migration/move-journal';
import { defaultLocation, openStoreRecord } from '../../electron/db/open-store';
import type { CatalogStore } from '../../electron/db/store';
import { peakRssMb, round } from './bench-utils';
import { traceStatements } from './pg-statement-trace';

const { values } = parseArgs({
  options: {
    source: { type: 'string' },
    from: { type: 'string', default: 'sqlite' },
    to: { type: 'string', default: 'postgres' },
    url: { type: 'string' },
    work: { type: 'string' },
    shards: { type: 'string', default: '4' },
    'batch-size': { type: 'string' },
    // Writes each server statement's calls, wall time and backend CPU here (pg-statement-trace.ts).
    'trace-statements': { type: 'string' },
  },
});
if (!values.source || !values.work) throw new Error('migrate-phase needs --source and --work');
const from = values.from as EngineName;
const to = values.to as EngineName;
const work = path.resolve(values.work);
if (values['trace-statements']) traceStatements(path.resolve(values['trace-statements']));

const control = ControlDb.open(work);
const source = control.adopt(from, path.resolve(values.source, defaultLocation(from)));
const targetRecord =
  to === 'sharded'
    ? control.addTarget('sharded', path.join(work, 'target-sharded'), { shards: Number(values.shards) })
    : control.addTarget(to, to === 'postgres' ? 'bench' : path.join(work, `target-${to}`, to === 'sqlite' ? 'strata.db' : ''), {});
const moves = new MoveJournal(control);
const job = moves.startJob(source.id, targetRecord.id);

let peakHeap = 0;
const phaseStarted: Partial<Record<MigrationProgress['phase'], number>> = {};
const t0 = performance.now();
const heapTimer = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 100);

let sourceStore: CatalogStore | null = null;
let targetStore: CatalogStore | null = null;
try {
  sourceStore = await openStoreRecord(work, source, MIGRATION_SOURCE_OPTIONS);
  targetStore = await openStoreRecord(work, targetRecord, values.url ? { postgres: { connectionString: values.url } } : {});
  const opened = performance.now();
  const result = await copyStore(sourceStore, targetStore, {
    journal: moves.checkpoints(job.id),
    ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
    onProgress: (p) => {
      phaseStarted[p.phase] ??= performance.now();
    },
  });
  const ms = (a: number | undefined, b: number | undefined): number | null => (a === undefined || b === undefined ? null : round(b - a));
  clearInterval(heapTimer);
  process.stdout.write(
    `${JSON.stringify({
      rows: result.rows,
      // From opening both stores (the target's schema is created then) to verified: what pgloader's wall time spans too.
      total_ms: round(performance.now() - t0),
      elapsed_ms: round(result.elapsedMs),
      open_ms: round(opened - t0),
      copy_ms: ms(phaseStarted.copy, phaseStarted.index),
      index_ms: ms(phaseStarted.index, phaseStarted.verify),
      verify_ms: ms(phaseStarted.verify, phaseStarted.done),
      verified: result.verification.every((v) => v.ok),
      tables: result.verification.map((v) => ({ table: v.table, rows: v.targetRows, digest: v.targetDigest })),
      peak_rss_mb: peakRssMb(),
      peak_heap_mb: round(peakHeap / 1048576, 1),
    })}\n`,
  );
} finally {
  clearInterval(heapTimer);
  await targetStore?.close();
  await sourceStore?.close();
  control.close();
}
