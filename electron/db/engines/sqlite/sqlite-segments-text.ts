/**
 * The segments of a chosen set of files as canonical row text (row-text.ts), written by SQLite
 * itself like sqlite-table-text.ts. A PostgreSQL target fills one hash partition of `segments`
 * per transaction (pg-partition-load.ts) and asks for that partition's files only: `segments`
 * is keyed by (file_id, number), so each file's rows are one range of the primary key, found
 * by a seek, and the partitions together read the table once.
 */
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { SegmentsTextOptions, TextBatch } from '../../store';
import { TEXT_COLUMNS } from '../../migration/rows/row-text';
import { checkLimit } from '../../validate';
import type { SqliteDatabase } from './open-database';
import { textFieldSql } from './sqlite-table-text';

/** Rows read per statement, about: a few milliseconds of work between returns to the event loop. */
const SLICE_ROWS = 4_096;

const LINE = TEXT_COLUMNS.segments.map(textFieldSql).join(' || char(9) || ');
// json_each hands SQLite the ids as a table it seeks the primary key with, one range per file.
const SLICE_SQL = `SELECT count(*) AS n, CAST(group_concat(${LINE} || char(10), '') AS BLOB) AS text
  FROM segments WHERE file_id IN (SELECT value FROM json_each(?))`;

export async function* streamSqliteSegmentsText(
  fileIds: readonly number[],
  options: SegmentsTextOptions,
  use: <T>(fn: (db: SqliteDatabase) => T) => T,
): AsyncGenerator<TextBatch> {
  const batchSize = checkLimit(options.batchSize, 5_000, 100_000);
  for (let i = 1; i < fileIds.length; i++) {
    if (!((fileIds[i] as number) > (fileIds[i - 1] as number))) throw invalidArgument('File ids to stream segments of must be ascending and distinct.');
  }
  // Files per statement follow the rows per file seen so far, so a slice stays near SLICE_ROWS.
  let files = 0;
  let rowsSeen = 0;
  let at = 0;
  while (at < fileIds.length) {
    const parts: Buffer[] = [];
    let rows = 0;
    const from = at;
    while (rows < batchSize && at < fileIds.length) {
      if (options.signal?.aborted) throw new StrataError('cancelled', 'Reading segments was cancelled.');
      const perFile = files > 0 ? Math.max(1, rowsSeen / files) : 40;
      const take = Math.max(1, Math.min(fileIds.length - at, Math.floor(SLICE_ROWS / perFile)));
      const ids = fileIds.slice(at, at + take);
      const slice = use((db) => db.prepare(SLICE_SQL).get(JSON.stringify(ids)) as { n: number; text: Buffer | null });
      if (slice.n > 0 && slice.text) parts.push(slice.text);
      rows += slice.n;
      rowsSeen += slice.n;
      files += take;
      at += take;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (rows === 0) continue;
    const last = fileIds[at - 1] as number;
    // `after`/`lastKey` name files here, not segment keys: the batch holds every segment of the
    // files after `after` up to and including `lastKey` among those asked for.
    yield { text: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), rows, after: from === 0 ? null : [fileIds[from - 1] as number], lastKey: [last] };
  }
}
