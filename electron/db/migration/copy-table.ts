/**
 * One table's rows from the source into the target's loader, from a checkpoint on. Batches
 * are pipelined one deep: while the target loads batch k, the source reads batch k + 1 and
 * the digest takes batch k in, so the two engines (often two processes, on two cores) work at
 * the same time; memory stays bounded by two batches. A batch's checkpoint is saved only
 * after the target has committed it, in order. When both sides can, rows cross as canonical
 * text (row-text.ts) written by the source and loaded as is, with no row objects at all.
 */
import { StrataError } from '../../../shared/errors';
import type { CatalogStore, StreamTableOptions, TableLoader, TableName } from '../store';
import type { TableCheckpoint } from './migration-journal';
import type { TableDigest } from './rows/table-digest';

export interface CopyTableOptions {
  batchSize: number;
  signal?: AbortSignal;
  /** Takes the source's rows in as they pass (null when an earlier run copied part of the table). */
  digest: TableDigest | null;
  /** Before a batch of `rows` goes to the target; throws to stop the copy (a disk about to fill). */
  beforeLoad?: (rows: number) => void;
  /** A batch is committed in the target: `rows` in it, `lastKey` its last key. */
  committed(rows: number, lastKey: (string | number)[]): void;
}

export const cancelled = (): StrataError =>
  new StrataError('cancelled', 'The migration was cancelled; the current store stays active and the copy can resume later.');

/** The largest batch of row objects held at once (two are: one loading, one read ahead). */
const ROW_BATCH_ROWS = 2_000;

interface Step {
  rows: number;
  lastKey: (string | number)[];
  /** Starts the batch's load in the target. */
  load(): Promise<void>;
  /** Adds the batch to the source digest. */
  digest(): void;
}

async function* steps(source: CatalogStore, loader: TableLoader, table: TableName, options: CopyTableOptions, from: StreamTableOptions): AsyncGenerator<Step> {
  const digest = options.digest;
  const text = loader.loadText && loader.textTables?.has(table) ? (source.streamTableText?.(table, from) ?? null) : null;
  if (text) {
    const loadText = loader.loadText?.bind(loader) as NonNullable<TableLoader['loadText']>;
    for await (const batch of text) {
      yield { rows: batch.rows, lastKey: batch.lastKey, load: () => loadText(table, batch), digest: () => digest?.addLines(batch.text) };
    }
    return;
  }
  // Row objects cost far more memory than their text (a files row with its strings is
  // kilobytes), so tables that cross as rows go in smaller batches.
  for await (const batch of source.streamTable(table, { ...from, batchSize: Math.min(from.batchSize ?? ROW_BATCH_ROWS, ROW_BATCH_ROWS) })) {
    yield {
      rows: batch.rows.length,
      lastKey: batch.lastKey,
      load: () => loader.load(table, batch.rows),
      digest: () => {
        if (digest) for (const row of batch.rows) digest.addRow(row);
      },
    };
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Batches loading at once. Two let a target with several connections (a server) run two COPYs
 * on two cores while the next batch is read; checkpoints still advance strictly in order, so a
 * resume after a kill starts after the last batch whose predecessors all committed.
 */
const LOADS_IN_FLIGHT = 2;

export async function copyTable(source: CatalogStore, loader: TableLoader, table: TableName, point: TableCheckpoint, options: CopyTableOptions): Promise<void> {
  const from: StreamTableOptions = { batchSize: options.batchSize, after: point.lastKey, ...(options.signal ? { signal: options.signal } : {}) };
  const pending: { step: Step; loaded: Promise<void> }[] = [];
  // The oldest batch in flight commits (and is checkpointed) first, whatever order the loads end in.
  const settleOldest = async (): Promise<void> => {
    const oldest = pending.shift();
    if (!oldest) return;
    await oldest.loaded;
    options.committed(oldest.step.rows, oldest.step.lastKey);
  };
  try {
    // Reading the next step overlaps the loads of the ones before.
    for await (const step of steps(source, loader, table, options, from)) {
      if (options.signal?.aborted) throw cancelled();
      while (pending.length >= LOADS_IN_FLIGHT) await settleOldest();
      if (options.signal?.aborted) throw cancelled();
      options.beforeLoad?.(step.rows);
      const loaded = step.load();
      // Awaited in settleOldest (or below, on the way out); this keeps a failure from counting as unhandled meanwhile.
      loaded.catch(() => undefined);
      pending.push({ step, loaded });
      // The load's first messages go out before the digest and the next read keep this thread busy.
      await nextTurn();
      step.digest();
    }
    while (pending.length > 0) await settleOldest();
  } finally {
    // Leaving early (cancel, a failed read): batches still loading end first; each keeps its
    // checkpoint if it and every batch before it committed.
    let failed = false;
    while (pending.length > 0) {
      const oldest = pending[0] as (typeof pending)[number];
      if (failed) {
        pending.shift();
        await oldest.loaded.catch(() => undefined);
        continue;
      }
      await settleOldest().catch(() => {
        failed = true;
      });
    }
  }
}
