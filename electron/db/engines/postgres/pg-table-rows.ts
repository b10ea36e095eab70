/**
 * Tables as logical rows (table-columns.ts), both ways: reading them in primary-key order for
 * streamTable and backups, and loading them with COPY for restores (and, later, migrations
 * into Postgres). Values cross exactly as tier 1 streams them: enums as integer codes, hashes
 * as lowercase hex, JSON as compact text.
 */
import { invalidArgument } from '../../../../shared/errors';
import type { Row, TableName } from '../../store';
import { TABLES } from '../../store';
import { JSON_COLUMNS, TABLE_COLUMNS, canonicalJson } from '../../migration/rows/table-columns';
import { CopyBuffer } from './copy-buffer';
import { COPY_NULL, copyHexBytes, copyText } from '../../migration/rows/copy-text';
import type { PgQueryable } from './pg-driver';
import { searchDocument } from './search-document';

/** Rows a table streams: a collection being deleted is already gone as far as readers know. */
export const LIVE_ROWS: Partial<Record<TableName, string>> = { collections: 'NOT deleting' };

/** How a logical column is selected: JSON as text, bytes as hex. */
function selectExpression(table: TableName, column: string): string {
  if (JSON_COLUMNS.has(column)) return `${column}::text AS ${column}`;
  if (table === 'segments' && column === 'hash') return "encode(hash, 'hex') AS hash";
  return column;
}


export function checkTable(table: unknown): TableName {
  if (!(TABLES as readonly unknown[]).includes(table)) {
    throw invalidArgument(`There is no table ${JSON.stringify(table)}; tables are ${TABLES.join(', ')}.`);
  }
  return table as TableName;
}

/** One keyset page of a table in primary-key order, after `after` when given. */
export async function readTablePage(
  q: PgQueryable,
  table: TableName,
  after: (string | number)[] | null,
  limit: number,
): Promise<Row[]> {
  const spec = TABLE_COLUMNS[table];
  const select = spec.columns.map((c) => selectExpression(table, c)).join(', ');
  const keys = spec.key.join(', ');
  const where: string[] = [];
  const params: (string | number)[] = [];
  const live = LIVE_ROWS[table];
  if (live) where.push(live);
  if (after !== null) {
    where.push(`(${keys}) > (${spec.key.map((_, i) => `$${i + 1}::bigint`).join(', ')})`);
    params.push(...after);
  }
  params.push(limit);
  const sql = `SELECT ${select} FROM ${table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${keys} LIMIT $${params.length}`;
  const rows = await q.queryRows<Row>(sql, params);
  for (const row of rows) {
    for (const column of JSON_COLUMNS) {
      if (column in row) row[column] = canonicalJson(row[column] as string | null);
    }
  }
  return rows;
}

/** Columns a load writes beyond the logical ones (derived data the dialect keeps). */
export function loadColumns(table: TableName): string[] {
  const columns = [...TABLE_COLUMNS[table].columns];
  if (table === 'files') columns.push('search');
  return columns;
}

/**
 * One row as a COPY line, columns in logical order. Numbers need no escaping, bytes arrive
 * as lowercase hex, text is escaped only when it holds a character COPY treats specially. Written as one loop over precomputed column
 * kinds because it runs once per row of the largest tables.
 */
function copyLineEncoder(table: TableName): (row: Row) => string {
  const columns = TABLE_COLUMNS[table].columns;
  const hexAt = table === 'segments' ? columns.indexOf('hash') : -1;
  return (row) => {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const value = row[columns[i] as string];
      if (i > 0) line += '\t';
      if (value === null || value === undefined) line += COPY_NULL;
      else if (typeof value === 'number') line += value;
      else if (i === hexAt) line += copyHexBytes(value);
      else line += copyText(value);
    }
    return line;
  };
}

const ENCODERS = Object.fromEntries(TABLES.map((t) => [t, copyLineEncoder(t)])) as Record<TableName, (row: Row) => string>;

/** The files row's search vector, built in the app with the query side's word rule. */
function searchField(row: Row): string {
  const relPath = String(row.rel_path);
  const slash = relPath.lastIndexOf('/');
  return copyText(searchDocument(String(row.name), slash === -1 ? '' : relPath.slice(0, slash), (row.subject as string | null) ?? null));
}

/** Logical rows as COPY text chunks for `loadColumns(table)`. */
export function encodeCopyRows(table: TableName, rows: readonly Row[]): string[] {
  const encode = ENCODERS[table];
  const out = new CopyBuffer();
  for (const row of rows) out.add(table === 'files' ? `${encode(row)}\t${searchField(row)}\n` : `${encode(row)}\n`);
  return out.finish();
}

/** Loads logical rows into a table with one COPY; the caller's transaction holds it. */
export async function loadTableRows(q: PgQueryable, table: TableName, rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  return q.copyFrom(table, loadColumns(table), encodeCopyRows(table, rows));
}

/** After rows were loaded with their ids, identity sequences continue after the largest id. */
export async function resetIdentities(q: PgQueryable): Promise<void> {
  for (const table of ['collections', 'nzb_sources', 'groups', 'folders', 'files']) {
    await q.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
    );
  }
}
