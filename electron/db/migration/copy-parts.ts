/**
 * One table into a loader that fills it part by part (TableLoader.partsOf: a PostgreSQL
 * server's segments partitions), each part one transaction fed by the source's rows of that
 * part only. Two parts overlap: once every batch of part k has gone in, part k + 1 starts
 * reading and loading while part k builds its index and commits. Parts are recorded as
 * committed strictly in order, so a resume after a kill refills the first part not recorded
 * (and at most the one after it, which may have committed unrecorded).
 */
import type { CatalogStore, LoadPart, TableLoader, TableName, TextBatch } from '../store';
import type { TableDigest } from './rows/table-digest';
import { cancelled } from './copy-table';

export interface CopyPartsOptions {
  parts: readonly LoadPart[];
  /** Parts an earlier run committed (the journal's count); loading starts after them. */
  from: number;
  batchSize: number;
  signal?: AbortSignal;
  /** Takes the source's rows in as they pass (null when an earlier run copied part of the table). */
  digest: TableDigest | null;
  beforeLoad?: (rows: number) => void;
  /** A batch of `rows` went to the target (not committed yet): for progress. */
  passed?: (rows: number) => void;
  /** Part `index` is committed in the target with `rows` rows; parts before it were reported already. */
  committed(part: LoadPart, rows: number): void;
}

interface InFlight {
  part: LoadPart;
  rows: number;
  done: Promise<void>;
}

export async function copyParts(source: CatalogStore, loader: TableLoader, table: TableName, options: CopyPartsOptions): Promise<void> {
  const stream = source.streamSegmentsText?.bind(source);
  const loadPart = loader.loadPart?.bind(loader);
  if (!stream || !loadPart) throw new Error('copyParts needs a source that streams segments by file and a loader that fills parts.');
  let previous: InFlight | null = null;
  try {
    for (const part of options.parts.slice(options.from)) {
      if (options.signal?.aborted) throw cancelled();
      const current: InFlight = { part, rows: 0, done: Promise.resolve() };
      async function* batches(): AsyncGenerator<TextBatch> {
        for await (const batch of stream!(part.fileIds, { batchSize: options.batchSize, ...(options.signal ? { signal: options.signal } : {}) })) {
          if (options.signal?.aborted) throw cancelled();
          options.beforeLoad?.(batch.rows);
          options.digest?.addLines(batch.text);
          current.rows += batch.rows;
          options.passed?.(batch.rows);
          yield batch;
        }
      }
      let markCopied = (): void => undefined;
      const copied = new Promise<void>((resolve) => (markCopied = resolve));
      current.done = loadPart(table, part, batches(), () => markCopied());
      // Awaited below or on the way out; this keeps a failure from counting as unhandled meanwhile.
      current.done.catch(() => undefined);
      await Promise.race([copied, current.done]);
      if (previous) {
        await previous.done;
        options.committed(previous.part, previous.rows);
      }
      previous = current;
    }
    if (previous) {
      const last: InFlight = previous;
      previous = null;
      await last.done;
      options.committed(last.part, last.rows);
    }
  } finally {
    // Leaving early: the part still loading ends (commits or rolls back) before the caller goes on.
    if (previous) await previous.done.catch(() => undefined);
  }
}
