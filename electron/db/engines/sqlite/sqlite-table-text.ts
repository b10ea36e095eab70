/**
 * Keyset batches of a table as canonical row text (row-text.ts) written by SQLite itself: one
 * statement per batch returns the batch's lines as one blob of UTF-8, so a migration moves a
 * row without creating a JavaScript value for each of its fields, and the bytes go to the
 * target as they are. Each field follows the value's storage class, as the row path does
 * (integers in decimal, text escaped for COPY, blobs as `\\x` + lowercase hex, NULL as `\N`).
 * Only tables without JSON columns qualify: JSON needs its canonical form from JavaScript.
 */
import { StrataError, invalidArgument } from '../../../../shared/errors';
import { TEXT_COLUMNS, TEXT_TABLES } from '../../migration/rows/row-text';
import type { StreamTableOptions, TableName, TextBatch } from '../../store';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import { checkLimit } from '../../validate';
import type { SqliteDatabase } from './open-database';

/** One field of the line, in SQL (SQLite string literals have no escapes: '\' is one backslash). */
export function textFieldSql(column: string): string {
  const escaped = `replace(replace(replace(replace(${column}, '\\', '\\\\'), char(9), '\\t'), char(10), '\\n'), char(13), '\\r')`;
  return `CASE typeof(${column}) WHEN 'null' THEN '\\N' WHEN 'integer' THEN CAST(${column} AS TEXT) WHEN 'real' THEN CAST(${column} AS TEXT)
            WHEN 'blob' THEN '\\\\x' || lower(hex(${column})) ELSE ${escaped} END`;
}

interface TextQueries {
  /** The key of the batch's last row: `batchSize - 1` rows on from the first one after `after`. */
  lastKey: { first: string; next: string };
  /** The lines of the rows after `after` (or from the start) up to and including `last` (or to the end). */
  text: (from: boolean, to: boolean) => string;
  tableLastKey: string;
}

function textQueries(table: TableName): TextQueries {
  const key = TABLE_COLUMNS[table].key;
  const keys = key.join(', ');
  const params = key.map(() => '?').join(', ');
  const live = table === 'collections' ? ['deleting = 0'] : [];
  const line = TEXT_COLUMNS[table].map(textFieldSql).join(" || char(9) || ");
  const where = (conditions: string[]): string => (conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '');
  return {
    lastKey: {
      first: `SELECT ${keys} FROM ${table} ${where(live)} ORDER BY ${keys} LIMIT 1 OFFSET ?`,
      next: `SELECT ${keys} FROM ${table} ${where([...live, `(${keys}) > (${params})`])} ORDER BY ${keys} LIMIT 1 OFFSET ?`,
    },
    tableLastKey: `SELECT ${keys} FROM ${table} ${where(live)} ORDER BY ${key.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
    text: (from, to) => {
      const conditions = [...live];
      if (from) conditions.push(`(${keys}) > (${params})`);
      if (to) conditions.push(`(${keys}) <= (${params})`);
      // Line order inside a batch does not matter: COPY loads a set, and digests ignore order.
      return `SELECT count(*) AS n, CAST(group_concat(${line} || char(10), '') AS BLOB) AS text FROM ${table} ${where(conditions)}`;
    },
  };
}

const QUERIES = new Map<TableName, TextQueries>();

/** Rows read per statement: a few milliseconds of work between returns to the event loop. */
const SLICE_ROWS = 4_096;

export async function* streamSqliteTableText(
  table: TableName,
  options: StreamTableOptions,
  use: <T>(fn: (db: SqliteDatabase) => T) => T,
): AsyncGenerator<TextBatch> {
  if (!TEXT_TABLES.has(table)) throw invalidArgument(`The ${table} table cannot stream as text: it has JSON columns.`);
  const batchSize = checkLimit(options.batchSize, 5_000, 100_000);
  const keyLength = TABLE_COLUMNS[table].key.length;
  let after = options.after ?? null;
  if (after !== null && (!Array.isArray(after) || after.length !== keyLength)) {
    throw invalidArgument(`A ${table} resume key has ${keyLength} part(s).`);
  }
  let q = QUERIES.get(table);
  if (!q) {
    q = textQueries(table);
    QUERIES.set(table, q);
  }
  const queries = q;
  const readSlice = (from: (string | number)[] | null, limit: number): { last: (string | number)[] | undefined; rows: number; text: Buffer | null } =>
    use((db) => {
      const last = (
        from === null ? db.prepare(queries.lastKey.first).raw(true).get(limit - 1) : db.prepare(queries.lastKey.next).raw(true).get(...from, limit - 1)
      ) as (string | number)[] | undefined;
      const result = db.prepare(queries.text(from !== null, last !== undefined)).get(...(from ?? []), ...(last ?? [])) as { n: number; text: Buffer | null };
      return { last, rows: result.n, text: result.text };
    });
  for (;;) {
    const batchAfter = after;
    const parts: Buffer[] = [];
    let rows = 0;
    let last: (string | number)[] | undefined;
    let ended = false;
    // A batch is read in slices with the event loop in between: a migration writes the
    // previous batch to its target meanwhile, and that I/O must not wait for the whole read.
    while (rows < batchSize) {
      if (options.signal?.aborted) throw new StrataError('cancelled', `Reading ${table} was cancelled.`);
      const slice = readSlice(after, Math.min(SLICE_ROWS, batchSize - rows));
      if (slice.rows > 0 && slice.text) parts.push(slice.text);
      rows += slice.rows;
      if (slice.last === undefined) {
        ended = true;
        break;
      }
      last = slice.last;
      after = slice.last;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (rows === 0) return;
    // Without a last key the read ran to the end of the table; its last row is the table's last.
    const lastKey = ended ? (use((db) => db.prepare(queries.tableLastKey).raw(true).get()) as (string | number)[]) : (last as (string | number)[]);
    yield { text: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts), rows, after: batchAfter, lastKey };
    if (ended) return;
  }
}
