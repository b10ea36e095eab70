/**
 * The `segments` table of a sharded store as one stream in global (file_id, number) order,
 * merged from every shard's own key-ordered stream, resumable from any key. All rows of a
 * file live in one shard, so the merge mostly takes long runs from one shard at a time.
 */
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { Row, StreamTableOptions, TableBatch } from '../../store';
import { checkLimit } from '../../validate';
import type { SqliteDatabase } from '../sqlite/open-database';
import { buildStreamQuery } from '../sqlite/sqlite-maintenance';

interface Cursor {
  index: number;
  db: SqliteDatabase;
  rows: Row[];
  pos: number;
  after: [number, number] | null;
  done: boolean;
}

const before = (a: Row, b: Row): boolean =>
  (a.file_id as number) < (b.file_id as number) || (a.file_id === b.file_id && (a.number as number) < (b.number as number));

export async function* mergeShardSegments(
  readers: () => { index: number; db: SqliteDatabase }[],
  options: StreamTableOptions,
  /** Runs each step under the store's read lock. */
  step: <T>(fn: () => T) => Promise<T>,
  /** When given, keeps only the rows this says belong to the shard they were read from. */
  ownership: () => ((shardIndex: number, fileId: number) => boolean) | null,
): AsyncGenerator<TableBatch> {
  const batchSize = checkLimit(options.batchSize, 5_000, 100_000);
  const start = options.after ?? null;
  if (start !== null && (!Array.isArray(start) || start.length !== 2 || !start.every((v) => typeof v === 'number'))) {
    throw invalidArgument('A segments resume key has 2 part(s).');
  }
  const q = buildStreamQuery('segments');
  const cursors: Cursor[] = await step(() =>
    readers().map(({ index, db }) => ({ index, db, rows: [], pos: 0, after: start as [number, number] | null, done: false })),
  );
  const refill = (c: Cursor): void => {
    const stmt = c.db.prepare(c.after === null ? q.first : q.next).raw(true);
    const raw = (c.after === null ? stmt.all(batchSize) : stmt.all(...c.after, batchSize)) as unknown[][];
    const owns = ownership();
    const rows = raw.map(q.toRow);
    c.rows = owns ? rows.filter((r) => owns(c.index, r.file_id as number)) : rows;
    c.pos = 0;
    c.done = raw.length < batchSize;
    const last = rows[rows.length - 1];
    if (last) c.after = [last.file_id as number, last.number as number];
  };
  for (;;) {
    if (options.signal?.aborted) throw new StrataError('cancelled', 'Reading segments was cancelled.');
    const out = await step(() => {
      const batch: Row[] = [];
      while (batch.length < batchSize) {
        let best: Cursor | null = null;
        for (const c of cursors) {
          while (c.pos >= c.rows.length && !c.done) refill(c);
          if (c.pos >= c.rows.length) continue;
          if (!best || before(c.rows[c.pos] as Row, best.rows[best.pos] as Row)) best = c;
        }
        if (!best) break;
        batch.push(best.rows[best.pos++] as Row);
      }
      return batch;
    });
    if (out.length === 0) return;
    const last = out[out.length - 1] as Row;
    yield { rows: out, lastKey: [last.file_id as number, last.number as number] };
    if (out.length < batchSize) return;
  }
}
