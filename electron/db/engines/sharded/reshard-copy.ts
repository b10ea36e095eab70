/**
 * The moving parts of re-sharding N -> M: copying the rows whose shard changes (jump hashing
 * keeps that to the minimum: growing, rows only move to the new shards), fingerprinting what
 * was sent and what arrived, and removing moved rows from their old shards after the switch.
 */
import { StrataError } from '../../../../shared/errors';
import { shardOf } from './jump-hash';
import { RowDigest, type RawSegment } from '../../migration/rows/row-digest';
import { SegmentColumnsBuilder } from './segment-columns';
import type { DropForeignResult } from './shard-protocol';
import type { Shard, ShardSet } from './shard-set';

/** Rows read from a source shard per step; each step runs under the store's read lock. */
const COPY_ROWS = 20_000;
const DROP_FILES = 2_000;
const COLUMNS = 'file_id, number, bytes, state, hash, message_id, uploaded_at';

export interface CopyProgress {
  scanned: number;
  moved: number;
}

/**
 * Streams one source shard in key order and sends each row whose shard under `targetCount`
 * differs to that shard's writer. Digests of what was sent are added per target.
 */
export async function copyMovedRows(options: {
  source: Shard;
  shards: ShardSet;
  targetCount: number;
  digests: Map<number, RowDigest>;
  step: <T>(fn: () => T) => Promise<T>;
  signal?: AbortSignal;
  onRows: (p: CopyProgress) => void;
}): Promise<void> {
  const { source, shards, targetCount, digests } = options;
  const reader = shards.reader(source);
  const first = reader.prepare(`SELECT ${COLUMNS} FROM segments ORDER BY file_id, number LIMIT ?`).raw(true);
  const next = reader.prepare(`SELECT ${COLUMNS} FROM segments WHERE (file_id, number) > (?, ?) ORDER BY file_id, number LIMIT ?`).raw(true);
  let after: [number, number] | null = null;
  let lastFile = -1;
  let lastTarget = -1;
  for (;;) {
    if (options.signal?.aborted) throw new StrataError('cancelled', 'Re-sharding was cancelled; the store keeps its current shards.');
    const rows = await options.step(() => (after === null ? first.all(COPY_ROWS) : next.all(...after, COPY_ROWS)) as RawSegment[]);
    if (rows.length === 0) return;
    const builders = new Map<number, SegmentColumnsBuilder>();
    let moved = 0;
    for (const row of rows) {
      if (row[0] !== lastFile) {
        lastFile = row[0];
        lastTarget = shardOf(lastFile, targetCount);
      }
      if (lastTarget === source.index) continue;
      let builder = builders.get(lastTarget);
      if (!builder) {
        builder = new SegmentColumnsBuilder(rows.length);
        builders.set(lastTarget, builder);
      }
      builder.addRow(row[0], row[1], row[2], row[3], row[4] ? row[4].toString('hex') : null, row[5], row[6]);
      let digest = digests.get(lastTarget);
      if (!digest) {
        digest = new RowDigest();
        digests.set(lastTarget, digest);
      }
      digest.add(row);
      moved++;
    }
    await Promise.all(
      [...builders].map(([target, builder]) => {
        const { columns, transfer } = builder.take();
        return shards.writer(shards.shards[target] as Shard).request({ op: 'copy', columns }, transfer);
      }),
    );
    const last = rows[rows.length - 1] as RawSegment;
    after = [last[0], last[1]];
    options.onRows({ scanned: rows.length, moved });
    if (rows.length < COPY_ROWS) return;
  }
}

/** The digest of the rows in `target` that do not belong there under `formerCount` (the ones moved in). */
export async function digestMovedIn(target: Shard, shards: ShardSet, formerCount: number, step: <T>(fn: () => T) => Promise<T>): Promise<RowDigest> {
  const digest = new RowDigest();
  const reader = shards.reader(target);
  const next = reader.prepare(`SELECT ${COLUMNS} FROM segments WHERE (file_id, number) > (?, ?) ORDER BY file_id, number LIMIT ?`).raw(true);
  let after: [number, number] = [-1, -1];
  let lastFile = -1;
  let foreign = false;
  for (;;) {
    const rows = await step(() => next.all(...after, COPY_ROWS) as RawSegment[]);
    for (const row of rows) {
      if (row[0] !== lastFile) {
        lastFile = row[0];
        foreign = target.index >= formerCount || shardOf(lastFile, formerCount) !== target.index;
      }
      if (foreign) digest.add(row);
    }
    if (rows.length < COPY_ROWS) return digest;
    const last = rows[rows.length - 1] as RawSegment;
    after = [last[0], last[1]];
  }
}

/** Deletes, in small transactions, every row of `shard` that belongs elsewhere under `shardCount`. */
export async function dropForeignRows(shard: Shard, shards: ShardSet, shardCount: number, onDeleted: (n: number) => void): Promise<void> {
  let afterFileId = -1;
  for (;;) {
    const result = await shards.writer(shard).request<DropForeignResult>({ op: 'drop-foreign', shardCount, afterFileId, files: DROP_FILES });
    onDeleted(result.deleted);
    if (result.done) return;
    afterFileId = result.lastFileId;
  }
}
