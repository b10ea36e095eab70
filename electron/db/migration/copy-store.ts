/**
 * The migration engine's core: every table streamed from the source in key order into the
 * target's bulk loader, batch by batch (memory bounded by one batch whatever the size),
 * checkpointed after each committed batch, then verified table by table with row counts and
 * an order-independent digest on both sides before anyone may switch to the target.
 */
import { StrataError } from '../../../shared/errors';
import type { CopyProgress } from '../../../shared/manager';
import { TABLES, type CatalogStore, type StoreStats, type TableName } from '../store';
import type { MigrationJournal } from './migration-journal';
import { TableDigest, type DigestScheme } from './rows/table-digest';
import { cancelled, copyTable } from './copy-table';
import { copyParts } from './copy-parts';
import { crashPoint } from '../faults/crash-point';

/**
 * What a copy reports: the one progress shape of a move (shared/manager.ts), in the phases a
 * copy has. Its 'done' means verified: the move's switch comes next.
 */
export type MigrationProgress = CopyProgress & { phase: 'copy' | 'index' | 'verify' | 'done'; table: TableName | null };

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
  /** Before each batch and before the index build; throws to stop the copy (see target-space.ts). */
  beforeLoad?: (rows: number) => void;
  /** Minimum time between progress events (the last one of a phase always goes out). */
  progressEveryMs?: number;
}

/** Rows a copy moves, from a store's counters: segments, files and their group links, folders, collections with their sources (an estimate for the small tables). */
export function estimatedCopyRows(stats: Pick<StoreStats, 'segments' | 'files' | 'folders' | 'collections'>): number {
  return stats.segments + stats.files * 2 + stats.folders + stats.collections * 2;
}

/** A table's digest by reading its rows, for stores that cannot compute one themselves. */
async function readDigest(store: CatalogStore, table: TableName, scheme: DigestScheme, batchSize: number, signal?: AbortSignal): Promise<TableDigest> {
  const digest = new TableDigest(table, scheme);
  for await (const batch of store.streamTable(table, { batchSize, ...(signal ? { signal } : {}) })) {
    for (const row of batch.rows) digest.addRow(row);
  }
  return digest;
}

/** What the store holds now: computed by the engine where it can, else read row by row. */
async function storedDigest(store: CatalogStore, table: TableName, scheme: DigestScheme, batchSize: number, signal?: AbortSignal): Promise<TableDigest> {
  const value = store.digestTable ? await store.digestTable(table, scheme) : null;
  return value ? TableDigest.of(table, value) : readDigest(store, table, scheme, batchSize, signal);
}

async function verifyTable(
  source: CatalogStore,
  target: CatalogStore,
  table: TableName,
  scheme: DigestScheme,
  digestOfCopied: TableDigest | null,
  batchSize: number,
  signal?: AbortSignal,
): Promise<TableVerification> {
  if (signal?.aborted) throw cancelled();
  const [sourceDigest, targetDigest] = await Promise.all([
    digestOfCopied ?? storedDigest(source, table, scheme, batchSize, signal),
    storedDigest(target, table, scheme, batchSize, signal),
  ]);
  return {
    table,
    sourceRows: sourceDigest.count,
    targetRows: targetDigest.count,
    sourceDigest: sourceDigest.toString(),
    targetDigest: targetDigest.toString(),
    ok: sourceDigest.equals(targetDigest),
  };
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
  const progress: MigrationProgress = { phase: 'copy', table: null, rows: 0, totalRows, bytes: 0, rowsPerSecond: 0, etaMs: null, elapsedMs: 0 };
  let lastEmit = 0;
  const emit = (force = false): void => {
    const now = performance.now();
    if (!force && now - lastEmit < every) return;
    lastEmit = now;
    progress.elapsedMs = now - started;
    // Bytes from the source's measured size per row: the rows' share of its size.
    progress.bytes = totalRows > 0 ? Math.round((Math.min(progress.rows, totalRows) / totalRows) * stats.dbBytes) : 0;
    progress.rowsPerSecond = progress.elapsedMs > 0 ? Math.round((progress.rows / progress.elapsedMs) * 1000) : 0;
    progress.etaMs = progress.rowsPerSecond > 0 && progress.phase === 'copy' ? Math.max(0, ((totalRows - progress.rows) / progress.rowsPerSecond) * 1000) : null;
    options.onProgress?.({ ...progress });
  };

  const loader = await target.openLoader();
  // Digests of the source are taken while its rows pass by, unless an earlier run copied part
  // of a table: then that table's digest is taken from the source again. Each table is
  // verified, and its indexes rebuilt, as soon as it is complete, while the next one copies.
  const verifications: Promise<TableVerification>[] = [];
  // Each table is digested in the scheme the target offers (a server hashes segments rows
  // cheaper than it rebuilds their text); both sides of a comparison always use the same one.
  const schemeOf = (table: TableName): DigestScheme => loader.digestScheme?.(table) ?? 'text';
  const verify = (table: TableName, sourceDigest: TableDigest | null): void => {
    const verification = verifyTable(source, target, table, schemeOf(table), sourceDigest, batchSize, options.signal);
    // Awaited below; this keeps an early failure from counting as unhandled meanwhile.
    verification.catch(() => undefined);
    verifications.push(verification);
  };
  for (const table of TABLES) {
    const point = options.journal.checkpoint(table);
    progress.table = table;
    progress.rows += point.rows;
    if (!point.done) {
      // A table the loader fills in parts goes that way unless an earlier run began it by key.
      const parts = point.lastKey === null && source.streamSegmentsText && loader.loadPart ? ((await loader.partsOf?.(table)) ?? null) : null;
      const from = parts ? (point.parts ?? 0) : 0;
      if (!parts && point.parts) {
        // Begun in parts, now by key (no parts offered any more): from the start, which the first batch clears.
        progress.rows -= point.rows;
        point.rows = 0;
      }
      const digest = point.lastKey === null && from === 0 ? new TableDigest(table, schemeOf(table)) : null;
      let rows = point.rows;
      if (parts) {
        await copyParts(source, loader, table, {
          parts,
          from,
          batchSize,
          digest,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.beforeLoad ? { beforeLoad: options.beforeLoad } : {}),
          // Progress counts rows as they go in (a part can take seconds); the journal only committed parts.
          passed: (batchRows) => {
            progress.rows += batchRows;
            emit();
          },
          committed: (part, partRows) => {
            rows += partRows;
            crashPoint(`loaded:${table}`);
            options.journal.save({ table, lastKey: null, rows, done: false, parts: part.index + 1 });
            crashPoint(`batch:${table}`);
          },
        });
      } else await copyTable(source, loader, table, { ...point, lastKey: point.parts ? null : point.lastKey }, {
        batchSize,
        digest,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.beforeLoad ? { beforeLoad: options.beforeLoad } : {}),
        committed: (batchRows, lastKey) => {
          rows += batchRows;
          progress.rows += batchRows;
          // Committed in the target, not yet in the journal: the resume must find and replace it.
          crashPoint(`loaded:${table}`);
          options.journal.save({ table, lastKey, rows, done: false });
          crashPoint(`batch:${table}`);
          emit();
        },
      });
      options.journal.save({ table, lastKey: null, rows, done: true });
      crashPoint(`copied:${table}`);
      emit(true);
      loader.tableLoaded?.(table);
      verify(table, digest);
    } else {
      // A table an earlier run completed may still lack what its loader deferred (a kill
      // between the journal's "done" and the index rebuild): the rebuild is asked for again, in
      // table order, so a child's foreign keys never come before its parent's key. Loaders
      // make this a no-op for a table that has everything.
      loader.tableLoaded?.(table);
      verify(table, null);
    }
  }

  progress.phase = 'index';
  progress.table = null;
  emit(true);
  // Indexes set aside during the load are rebuilt now: room for a quarter of the rows again.
  options.beforeLoad?.(Math.ceil(progress.rows / 4));
  try {
    await loader.finish();
  } finally {
    // Whatever happens to the index build, no verification is left running behind the caller.
    await Promise.allSettled(verifications);
  }
  crashPoint('indexed');
  progress.phase = 'verify';
  emit(true);
  const verification = await Promise.all(verifications);
  const integrity = await target.checkIntegrity();
  const failed = verification.filter((v) => !v.ok);
  if (failed.length > 0 || !integrity.ok) {
    throw new StrataError(
      'internal',
      `The copy does not match the source (${[...failed.map((v) => `${v.table}: ${v.sourceRows} rows in the source, ${v.targetRows} in the copy`), ...integrity.problems].join('; ')}). The current store stays active and unchanged.`,
      { verification, problems: integrity.problems },
    );
  }
  crashPoint('verified');
  progress.phase = 'done';
  progress.table = null;
  emit(true);
  return { rows: progress.rows, elapsedMs: performance.now() - started, verification };
}
