/**
 * A table's verification digest (migration/rows/table-digest.ts) computed inside PostgreSQL over
 * the rows it stores: each row's canonical text (row-text.ts, COPY text of the plain columns)
 * rebuilt in SQL and checksummed with crc32/crc32c (PostgreSQL 18), so one aggregate per
 * table replaces reading every row back into JavaScript. Only the JSON columns, whose
 * canonical form needs JavaScript, are read, and only for rows that hold some. A server
 * older than 18 has no crc32c: the caller then reads rows itself (null here).
 */
import type { DigestScheme, TableDigestValue } from '../../migration/rows/table-digest';
import { DIGEST_COLUMNS, jsonText } from '../../migration/rows/table-digest';
import { RowDigest } from '../../migration/rows/row-digest';
import { isBytesColumn } from '../../migration/rows/row-text';
import type { Row, TableName } from '../../store';
import { TABLE_COLUMNS, canonicalJson } from '../../migration/rows/table-columns';
import type { PgQueryable } from './pg-driver';
import { LIVE_ROWS } from './pg-table-rows';

const JSON_PAGE_ROWS = 20_000;

interface ColumnType {
  type: string;
  notNull: boolean;
}

/** A plain column as its COPY text field, in SQL (standard_conforming_strings: '\\' is two backslashes). */
function copyField(table: TableName, column: string, { type, notNull }: ColumnType): string {
  const orNull = (sql: string): string => (notNull ? sql : `coalesce(${sql}, '\\N')`);
  if (isBytesColumn(table, column)) return orNull(`'\\\\x' || encode(${column}, 'hex')`);
  if (type !== 'text') return orNull(`${column}::text`);
  // Backslash first, so the escapes added after it are not escaped again.
  return orNull(`replace(replace(replace(replace(${column}, '\\', '\\\\'), E'\\t', '\\t'), E'\\n', '\\n'), E'\\r', '\\r')`);
}

async function columnTypes(q: PgQueryable, table: TableName): Promise<Map<string, ColumnType>> {
  const rows = await q.queryRows<{ name: string; type: string; not_null: boolean }>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AS not_null
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [table],
  );
  return new Map(rows.map((r) => [r.name, { type: r.type, notNull: r.not_null }]));
}

/** Whether the server computes digests of `scheme` itself: crc32c arrived in PostgreSQL 18, hash_record_extended in 14. */
export async function hasEngineDigest(q: PgQueryable, scheme: DigestScheme = 'text'): Promise<boolean> {
  const needs = scheme === 'pg-record' ? 'hash_record_extended(record,bigint)' : 'crc32c(bytea)';
  const rows = await q.queryRows<{ ok: boolean }>(`SELECT to_regprocedure('${needs}') IS NOT NULL AS ok`);
  return rows[0]?.ok === true;
}

/**
 * The pg-record digest (record-digest.ts) over one relation: each row's values hashed as the
 * app hashes its canonical line, in the line's column order, text under the C collation (its
 * bytes, whatever the database's default). No text is built, so it costs the server a
 * fraction of the canonical-text digest. Sums of bigint are numeric, exact whatever the count.
 */
async function recordDigestOf(q: PgQueryable, table: TableName, relation: string, types: Map<string, ColumnType>): Promise<TableDigestValue['plain']> {
  const fields = DIGEST_COLUMNS[table].plain.map((c) => (types.get(c)?.type === 'text' ? `${c} COLLATE "C"` : c)).join(', ');
  const rows = await q.queryRows<{ n: number; a: number; b: number }>(
    `SELECT count(*)::bigint AS n, (coalesce(sum(h & 4294967295), 0) % 4294967296)::bigint AS a,
            (coalesce(sum((h >> 32) & 4294967295), 0) % 4294967296)::bigint AS b
       FROM (SELECT hash_record_extended(ROW(${fields}), 0) AS h FROM ${relation}) r`,
  );
  const row = rows[0] as { n: number; a: number; b: number };
  return { count: Number(row.n), crc32Sum: Number(row.a), crc32cSum: Number(row.b) };
}

/** The digest's plain part over one relation (a table, or one partition of it). */
async function plainDigestOf(q: PgQueryable, table: TableName, relation: string, types: Map<string, ColumnType>, scheme: DigestScheme): Promise<TableDigestValue['plain']> {
  if (scheme === 'pg-record') return recordDigestOf(q, table, relation, types);
  const fields = DIGEST_COLUMNS[table].plain.map((c) => copyField(table, c, types.get(c) ?? { type: 'text', notNull: false })).join(', ');
  const where = LIVE_ROWS[table] ? `WHERE ${LIVE_ROWS[table]}` : '';
  // No field is NULL (nullable ones are spelled \N), so concat_ws joins every one of them: the
  // cheapest way to build the line found (a third faster than concat). Sums of bigint are
  // numeric, exact whatever the row count; the digest keeps them mod 2^32.
  const rows = await q.queryRows<{ n: number; a: number; b: number }>(
    `SELECT count(*)::bigint AS n, (coalesce(sum(crc32(t)), 0) % 4294967296)::bigint AS a, (coalesce(sum(crc32c(t)), 0) % 4294967296)::bigint AS b
       FROM (SELECT convert_to(concat_ws(E'\\t', ${fields}), 'UTF8') AS t FROM ${relation} ${where}) r`,
  );
  const row = rows[0] as { n: number; a: number; b: number };
  return { count: Number(row.n), crc32Sum: Number(row.a), crc32cSum: Number(row.b) };
}

/** Partitions of a table digested at once: one query runs on one core, and a move's machine has at least two. */
const PARTITIONS_AT_ONCE = 2;

async function plainDigest(q: PgQueryable, table: TableName, scheme: DigestScheme): Promise<TableDigestValue['plain']> {
  const types = await columnTypes(q, table);
  const partitions = table === 'segments' ? await q.queryRows<{ name: string }>("SELECT inhrelid::regclass::text AS name FROM pg_inherits WHERE inhparent = 'segments'::regclass") : [];
  if (partitions.length === 0) return plainDigestOf(q, table, table, types, scheme);
  // The digest is a count and two sums, so the partitions' digests add up to the table's:
  // each partition is one query, and two run side by side (on a server's pool of connections).
  const total = { count: 0, crc32Sum: 0, crc32cSum: 0 };
  const queue = partitions.map((p) => p.name);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const part = await plainDigestOf(q, table, next, types, scheme);
      total.count += part.count;
      total.crc32Sum = (total.crc32Sum + part.crc32Sum) % 4294967296;
      total.crc32cSum = (total.crc32cSum + part.crc32cSum) % 4294967296;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTITIONS_AT_ONCE, queue.length) }, worker));
  return total;
}

/** Key and canonical JSON of the rows holding any JSON, read in key order a page at a time. */
async function jsonDigest(q: PgQueryable, table: TableName): Promise<TableDigestValue['json']> {
  const columns = DIGEST_COLUMNS[table];
  if (!columns.json) return null;
  const key = TABLE_COLUMNS[table].key;
  const digest = new RowDigest();
  const conditions = [`(${columns.jsonOnly.map((c) => `${c} IS NOT NULL`).join(' OR ')})`];
  if (LIVE_ROWS[table]) conditions.push(LIVE_ROWS[table]);
  const select = [...key, ...columns.jsonOnly.map((c) => `${c}::text AS ${c}`)].join(', ');
  let after: (string | number)[] | null = null;
  for (;;) {
    const where = after === null ? conditions : [...conditions, `(${key.join(', ')}) > (${key.map((_, i) => `$${i + 1}::bigint`).join(', ')})`];
    const rows: Row[] = await q.queryRows<Row>(
      `SELECT ${select} FROM ${table} WHERE ${where.join(' AND ')} ORDER BY ${key.join(', ')} LIMIT ${JSON_PAGE_ROWS}`,
      after ?? [],
    );
    for (const row of rows) {
      for (const c of columns.jsonOnly) row[c] = canonicalJson(row[c] as string | null);
      digest.addText(jsonText(row, columns.json));
    }
    if (rows.length < JSON_PAGE_ROWS) return digest.value();
    const last = rows[rows.length - 1] as Row;
    after = key.map((k) => last[k] as string | number);
  }
}

export async function pgTableDigest(q: PgQueryable, table: TableName, scheme: DigestScheme = 'text'): Promise<TableDigestValue> {
  if (scheme === 'pg-record' && table !== 'segments') throw new Error(`The pg-record digest is for segments rows, not ${table}.`);
  const [plain, json] = await Promise.all([plainDigest(q, table, scheme), jsonDigest(q, table)]);
  return scheme === 'text' ? { plain, json } : { plain, json, scheme };
}
