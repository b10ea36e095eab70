/**
 * The migration engine's core: every table streamed from the source in key order into the
 * target's bulk loader, batch by batch (memory bounded by one batch whatever the size),
 * checkpointed after each committed batch, then verified table by table with row counts and
 * an order-independent digest on both sides before anyone may switch to the target.
 */
import { StrataError } from '../../../shared/errors';
import { RowDigest } from '../row-digest';
import { TABLES, type CatalogStore, type StoreStats, type TableName } from '../store';
import { TABLE_COLUMNS } from '../table-columns';
import type { MigrationJournal } from './migration-journal';

export interface MigrationProgress {
  phase: 'copy' | 'index' | 'verify' | 'done';
  table: TableName | null;
  /** Rows copied (or verified) so far, over all tables. */
  rows: number;
  /** Rows to copy, from the source's counters (an estimate for the small tables). */
  totalRows: number;
  rowsPerSecond: number;
  etaMs: number | null;
  elapsedMs: number;
}

export interface TableVerification {
  table: TableName;
  sourceRows: number;
  targetRows: number;
  sourceDigest: string;
  targetDigest: string;
  ok: boolean;
}

export interface CopyResult {
  rows: number;
  elapsedMs: number;
  verification: TableVerification[];
}

export interface CopyOptions {
  journal: MigrationJournal;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: MigrationProgress) => void;
  /** Minimum time between progress events (the last one of a phase always goes out). */
  progressEveryMs?: number;
}

/** Rows a copy moves, from a store's counters: segments, files and their group links, folders, collections with their sources (an estimate for the small tables). */
export function estimatedCopyRows(stats: Pick<StoreStats, 'segments' | 'files' | 'folders' | 'collections'>): number {
  return stats.segments + stats.files * 2 + stats.folders + stats.collections * 2;
}

const cancelled = (): StrataError => new StrataError('cancelled', 'The migration was cancelled; the current store stays active and the copy can resume later.');

async function digestTable(store: CatalogStore, table: TableName, batchSize: number, signal?: AbortSignal): Promise<RowDigest> {
  const digest = new RowDigest();
  const columns = TABLE_COLUMNS[table].columns;
  for await (const batch of store.streamTable(table, { batchSize, ...(signal ? { signal } : {}) })) {
    for (const row of batch.rows) digest.addRow(row, columns);
  }
  return digest;
}

export async function copyStore(source: CatalogStore, target: CatalogStore, options: CopyOptions): Promise<CopyResult> {
  if (!target.openLoader) {
    throw new StrataError('invalid-argument', `The ${target.capabilities.engine} store cannot be a migration target in this version of Strata.`);
  }
  const started = performance.now();
  const batchSize = options.batchSize ?? 20_000;
  const every = options.progressEveryMs ?? 250;
  const stats = await source.stats();
  const totalRows = estimatedCopyRows(stats);
  const progress: MigrationProgress = { phase: 'copy', table: null, rows: 0, totalRows, rowsPerSecond: 0, etaMs: null, elapsedMs: 0 };
  let lastEmit = 0;
  const emit = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastEmit < every) return;
    lastEmit = now;
    progress.elapsedMs = now - started;
    progress.rowsPerSecond = progress.elapsedMs > 0 ? Math.round((progress.rows / progress.elapsedMs) * 1000) : 0;
    progress.etaMs = progress.rowsPerSecond > 0 && progress.phase === 'copy' ? Math.max(0, ((totalRows - progress.rows) / progress.rowsPerSecond) * 1000) : null;
    options.onProgress?.({ ...progress });
  };

  const loader = await target.openLoader();
  // Digests of the source are taken while its rows pass by, unless an earlier run copied part
  // of a table: then that table is read again for its digest at the end.
  const sourceDigests = new Map<TableName, RowDigest>();
  for (const table of TABLES) {
    const point = options.journal.checkpoint(table);
    progress.table = table;
    progress.rows += point.rows;
    if (point.done) continue;
    const digest = point.lastKey === null ? new RowDigest() : null;
    const columns = TABLE_COLUMNS[table].columns;
    let rows = point.rows;
    for await (const batch of source.streamTable(table, { batchSize, after: point.lastKey, ...(options.signal ? { signal: options.signal } : {}) })) {
      if (options.signal?.aborted) throw cancelled();
      await loader.load(table, batch.rows);
      if (digest) for (const row of batch.rows) digest.addRow(row, columns);
      rows += batch.rows.length;
      progress.rows += batch.rows.length;
      options.journal.save({ table, lastKey: batch.lastKey, rows, done: false });
      emit();
    }
    options.journal.save({ table, lastKey: null, rows, done: true });
    if (digest) sourceDigests.set(table, digest);
    emit(true);
  }

  progress.phase = 'index';
  progress.table = null;
  emit(true);
  await loader.finish();

  progress.phase = 'verify';
  emit(true);
  const verification: TableVerification[] = [];
  for (const table of TABLES) {
    if (options.signal?.aborted) throw cancelled();
    progress.table = table;
    emit(true);
    const sourceDigest = sourceDigests.get(table) ?? (await digestTable(source, table, batchSize, options.signal));
    const targetDigest = await digestTable(target, table, batchSize, options.signal);
    verification.push({
      table,
      sourceRows: sourceDigest.count,
      targetRows: targetDigest.count,
      sourceDigest: sourceDigest.toString(),
      targetDigest: targetDigest.toString(),
      ok: sourceDigest.equals(targetDigest),
    });
  }
  const integrity = await target.checkIntegrity();
  const failed = verification.filter((v) => !v.ok);
  if (failed.length > 0 || !integrity.ok) {
    throw new StrataError(
      'internal',
      `The copy does not match the source (${[...failed.map((v) => `${v.table}: ${v.sourceRows} rows in the source, ${v.targetRows} in the copy`), ...integrity.problems].join('; ')}). The current store stays active and unchanged.`,
      { verification, problems: integrity.problems },
    );
  }
  progress.phase = 'done';
  progress.table = null;
  emit(true);
  return { rows: progress.rows, elapsedMs: performance.now() - started, verification };
}
