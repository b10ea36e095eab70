/** Messages between the sharded store (catalog thread) and one shard's writer thread. */
import type { SerializedError } from '../../../../shared/errors';
import type { SqliteTuning } from '../sqlite/open-database';
import type { SegmentColumns } from './segment-columns';

export interface ShardWorkerData {
  file: string;
  index: number;
  tuning: SqliteTuning;
}

/** One row of a segment update, with the final values (updates are idempotent when replayed). */
export type SegmentUpdateRow = [fileId: number, number: number, state: number, messageId: string | null, uploadedAt: number | null];

export type ShardCommand =
  /** Rows of an ingest epoch; the first one opens the shard's transaction. No reply. */
  | { op: 'rows'; epoch: number; columns: SegmentColumns }
  /** Records the epoch with the id range it wrote and commits. */
  | { op: 'commit'; epoch: number }
  | { op: 'rollback'; epoch: number }
  /** Removes the rows of every epoch above `after` (the catalog never committed them). */
  | { op: 'undo'; after: number }
  | { op: 'purge'; fileIds: number[] }
  | { op: 'update'; rows: SegmentUpdateRow[] }
  /** Re-sharding: writes rows moved from another shard (replacing, so a retried chunk is harmless). */
  | { op: 'copy'; columns: SegmentColumns }
  /**
   * Re-sharding: looks at up to `files` files after `afterFileId` and deletes the rows of those
   * that belong to another shard under `shardCount`. Replies with a DropForeignResult.
   */
  | { op: 'drop-foreign'; shardCount: number; afterFileId: number; files: number }
  | { op: 'checkpoint' }
  | { op: 'close' };

export interface ShardRequest {
  id: number;
  command: ShardCommand;
}

export type ShardReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

export interface DropForeignResult {
  deleted: number;
  lastFileId: number;
  done: boolean;
}
