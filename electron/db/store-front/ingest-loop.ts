/**
 * The ingest loop every engine shares: reads the batches, hands each to the engine's session,
 * counts progress and stops at the abort signal between batches. Batches before a cancel or a
 * failure stay committed; the error says how far the import got.
 */
import { StrataError } from '../../../shared/errors';
import { decodeColumnar, isColumnar } from '../engines/sqlite/columnar-batch';
import type { AnyIngestBatch, IngestOptions, IngestResult } from '../store';
import type { IngestSession } from './engine-core';

export type Guard = <T>(work: () => Promise<T>) => Promise<T>;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function cancelled(progress: IngestResult): StrataError {
  return new StrataError('cancelled', `Import cancelled after ${progress.files} files; everything before that was kept.`, { ...progress });
}

/** Sync and async batch sources behind one async iterator. */
function iterate(batches: AsyncIterable<AnyIngestBatch> | Iterable<AnyIngestBatch>): AsyncIterator<AnyIngestBatch> | Iterator<AnyIngestBatch> {
  return Symbol.asyncIterator in batches ? batches[Symbol.asyncIterator]() : batches[Symbol.iterator]();
}

/** A batch in columns goes to an engine that takes it so as it is, to any other as objects. */
function prepare(session: IngestSession, batch: AnyIngestBatch): unknown {
  if (!isColumnar(batch)) return session.prepare(batch);
  return session.prepareColumns ? session.prepareColumns(batch) : session.prepare(decodeColumnar(batch));
}

/**
 * Runs `session` over `batches`. `guard` wraps the engine's own work only (its errors are
 * mapped to the one error shape); the source's errors come out as the source threw them.
 */
export async function ingestBatches(
  session: IngestSession,
  batches: AsyncIterable<AnyIngestBatch> | Iterable<AnyIngestBatch>,
  options: IngestOptions,
  guard: Guard,
): Promise<IngestResult> {
  const started = performance.now();
  const progress: IngestResult = { batches: 0, files: 0, segments: 0, bytes: 0, skippedFiles: 0, replacedFiles: 0, elapsedMs: 0, sourceIds: {} };
  const iterator = iterate(batches);
  const readNext = async (): Promise<{ prepared: unknown } | null> => {
    const step = await iterator.next();
    return step.done ? null : { prepared: await prepare(session, step.value) };
  };
  try {
    let next = await readNext();
    while (next !== null) {
      if (options.signal?.aborted) throw cancelled(progress);
      const { prepared } = next;
      const writing = guard(() => session.write(prepared));
      // Each batch is still its own transaction, written in order; a bad batch N+1 read ahead
      // fails only after batch N has committed.
      const following = session.readAhead ? readNext() : null;
      // Awaited after `writing`; this only keeps a failure from counting as unhandled meanwhile.
      following?.catch(() => undefined);
      const outcome = await writing;
      progress.batches++;
      progress.files += outcome.files;
      progress.segments += outcome.segments;
      progress.bytes += outcome.bytes;
      progress.skippedFiles += outcome.skippedFiles;
      progress.replacedFiles += outcome.replacedFiles;
      progress.elapsedMs = performance.now() - started;
      progress.sourceIds = session.knownSources();
      options.onProgress?.({ ...progress });
      // A synchronous batch source would otherwise hold the event loop for the whole ingest:
      // reads, cancels and progress messages of the process get their turn between batches.
      await yieldToEventLoop();
      next = await (following ?? readNext());
    }
  } finally {
    await iterator.return?.();
    await session.release?.();
  }
  await guard(async () => session.finish?.(progress));
  progress.elapsedMs = performance.now() - started;
  return progress;
}
