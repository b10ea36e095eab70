/** Messages between a tier-1 catalog (its calls' thread) and the catalog's writer thread. */
import type { SerializedError } from '../../../../shared/errors';
import type { AppendResult, OnExisting } from '../../store';
import type { BatchOutcome } from '../../store-front/engine-core';
import type { SqliteTuning } from './open-database';
import type { ColumnarIngestBatch } from './columnar-batch';
import type { WireAppend, WireBatch } from './ingest-wire';

export interface WriterThreadData {
  file: string;
  tuning: SqliteTuning;
  schemaVersion: number;
}

export type WriterCommand =
  /** Opens an ingest session (one writer with its caches); replies with nothing. */
  | { op: 'start'; session: number; collectionId: number; onExisting: OnExisting }
  /** One batch in one transaction; replies with a WriteReply. */
  | { op: 'write'; session: number; batch: WireBatch | ColumnarIngestBatch }
  | { op: 'end'; session: number }
  /** A part of an open file (a huge file written in parts); replies with its AppendResult. */
  | { op: 'append'; fileId: number; part: WireAppend }
  | { op: 'close' };

export interface WriteReply {
  outcome: BatchOutcome;
  knownSources: Record<string, number>;
}

export type AppendReply = AppendResult;

export interface WriterRequest {
  id: number;
  command: WriterCommand;
}

export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
