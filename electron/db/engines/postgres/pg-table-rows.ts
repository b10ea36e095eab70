/**
 * Tables as logical rows (table-columns.ts), both ways: reading them in primary-key order for
 * streamTable and backups, and loading them with COPY for restores (and, later, migrations
 * into Postgres). Values cross exactly as tier 1 streams them: enums as integer codes, hashes
 * as lowercase hex, JSON as compact text.
 */
import { invalidArgument } from '../../../../shared/errors';
import type { Row, TableName } from '../../store';
import { TABLES } from '../../store';
import { JSON_COLUMNS, TABLE_COLUMNS, canonicalJson } from '../../table-columns';
import { CopyBuffer } from './copy-buffer';
import { COPY_NULL, copyHexBytes, copyText } from './copy-text';
import type { PgQueryable } from './pg-driver';
import { searchDocument } from './search-document';


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
  if (table === 'collections') where.push('NOT deleting');
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

/** A logical value as a COPY field of its column. */
function copyField(table: TableName, column: string, value: string | number | null): string {
  if (value === null || value === undefined) return COPY_NULL;
  if (typeof value === 'number') return String(value);
  if (table === 'segments' && column === 'hash') return copyHexBytes(value);
  return copyText(value);
}

/** Columns a load writes beyond the logical ones (derived data the dialect keeps). */
export function loadColumns(table: TableName): string[] {
  const columns = [...TABLE_COLUMNS[table].columns];
  if (table === 'files') columns.push('search');
  return columns;
}

/** Loads logical rows into a table with one COPY; the caller's transaction holds it. */
export async function loadTableRows(q: PgQueryable, table: TableName, rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = TABLE_COLUMNS[table].columns;
  const out = new CopyBuffer();
  for (const row of rows) {
    const fields = columns.map((c) => copyField(table, c, row[c] ?? null));
    if (table === 'files') {
      const relPath = String(row.rel_path);
      const slash = relPath.lastIndexOf('/');
      fields.push(copyText(searchDocument(String(row.name), slash === -1 ? '' : relPath.slice(0, slash), (row.subject as string | null) ?? null)));
    }
    out.add(`${fields.join('\t')}\n`);
  }
  return q.copyFrom(table, loadColumns(table), out.finish());
}

/** After rows were loaded with their ids, identity sequences continue after the largest id. */
export async function resetIdentities(q: PgQueryable): Promise<void> {
  for (const table of ['collections', 'nzb_sources', 'groups', 'folders', 'files']) {
    await q.query(
      `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`,
    );
  }
}
