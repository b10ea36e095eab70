/**
 * The canonical text of a row: its plain (non-JSON) logical columns in order, written as one
 * line of PostgreSQL's COPY text format (tab between fields, `\N` for NULL, numbers in
 * decimal, bytes as `\\x` + lowercase hex, backslash, tab, newline and carriage return inside
 * text escaped). It is what a migration checksums on both sides (row-digest.ts) and also the
 * form rows cross in when both engines can produce and consume it without building row
 * objects: SQLite writes it in SQL (sqlite-table-text.ts), PostgreSQL loads it with COPY and
 * rebuilds it in SQL from stored rows to verify them (pg-table-digest.ts). The three spellings
 * are tested against each other with awkward values (table-digest.test.ts).
 */
import { COPY_NULL, copyHexBytes, copyText } from './copy-text';
import type { Row, TableName } from './tables';
import { JSON_COLUMNS, TABLE_COLUMNS } from './table-columns';

/** The columns a row's canonical text holds: every logical column but the JSON ones. */
export const TEXT_COLUMNS = Object.fromEntries(
  Object.entries(TABLE_COLUMNS).map(([t, spec]) => [t, spec.columns.filter((c) => !JSON_COLUMNS.has(c))]),
) as Record<string, readonly string[]> as Record<TableName, readonly string[]>;

/** Columns holding bytes, streamed as lowercase hex. */
export const isBytesColumn = (table: TableName, column: string): boolean => table === 'segments' && column === 'hash';

/** Logical column values as one COPY text line (without its newline). */
export function copyTextLine(table: TableName, columns: readonly string[], row: Row): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string;
    const value = row[column];
    if (i > 0) line += '\t';
    if (value === null || value === undefined) line += COPY_NULL;
    else if (typeof value === 'number') line += value;
    else if (isBytesColumn(table, column)) line += copyHexBytes(value);
    else line += copyText(value);
  }
  return line;
}

/** A row's canonical text. */
export const rowText = (table: TableName, row: Row): string => copyTextLine(table, TEXT_COLUMNS[table], row);

/** Tables whose canonical text is their whole row (no JSON column), so the text alone can carry them. */
export const TEXT_TABLES: ReadonlySet<TableName> = new Set(
  (Object.keys(TABLE_COLUMNS) as TableName[]).filter((t) => TEXT_COLUMNS[t].length === TABLE_COLUMNS[t].columns.length),
);
