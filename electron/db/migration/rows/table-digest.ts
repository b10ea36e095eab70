/**
 * What a migration compares per table: a digest of every row's canonical text (its plain
 * columns, row-text.ts), and a second digest of the key and JSON columns of the rows that
 * hold any JSON. The split exists because engines store JSON their own way (jsonb reorders
 * keys and respells numbers), so JSON is only comparable in its canonical form
 * (table-columns.ts), which needs JavaScript; every other column can be digested inside an
 * engine that offers it (pg-table-digest.ts) without sending a row. Together the two still
 * see every column of every row: a row lost, added or changed anywhere changes one of them.
 */
import { RowDigest, type DigestValue } from './row-digest';
import { RecordDigest } from './record-digest';
import { TEXT_COLUMNS, rowText } from './row-text';
import type { Row, TableName } from './tables';
import { JSON_COLUMNS, TABLE_COLUMNS } from './table-columns';

/**
 * How the plain part is computed: 'text' sums CRC-32 and CRC-32C of each row's canonical text
 * (row-digest.ts), for every table and engine; 'pg-record' sums PostgreSQL's record hash of
 * each segments row (record-digest.ts), which a PostgreSQL target computes for a fraction of
 * the server CPU. Two digests compare only within one scheme.
 */
export type DigestScheme = 'text' | 'pg-record';

export interface TableDigestValue {
  plain: DigestValue;
  /** Absent for tables without JSON columns. */
  json: DigestValue | null;
  /** Absent for 'text'. */
  scheme?: DigestScheme;
}

export interface DigestColumns {
  plain: readonly string[];
  /** Key columns then JSON columns; null when the table has no JSON column. */
  json: readonly string[] | null;
  jsonOnly: readonly string[];
}

function columnsOf(table: TableName): DigestColumns {
  const spec = TABLE_COLUMNS[table];
  const jsonOnly = spec.columns.filter((c) => JSON_COLUMNS.has(c));
  return {
    plain: TEXT_COLUMNS[table],
    json: jsonOnly.length > 0 ? [...spec.key, ...jsonOnly] : null,
    jsonOnly,
  };
}

export const DIGEST_COLUMNS: Record<TableName, DigestColumns> = Object.fromEntries(
  Object.keys(TABLE_COLUMNS).map((t) => [t, columnsOf(t as TableName)]),
) as Record<TableName, DigestColumns>;

/** The JSON part's text: the key and JSON columns' canonical values as a JSON array. */
export function jsonText(row: Row, columns: readonly string[]): string {
  return JSON.stringify(columns.map((c) => row[c] ?? null));
}

export class TableDigest {
  readonly plain: RowDigest | RecordDigest;
  readonly json: RowDigest | null;
  private readonly columns: DigestColumns;

  constructor(
    readonly table: TableName,
    readonly scheme: DigestScheme = 'text',
    plain?: DigestValue,
  ) {
    if (scheme === 'pg-record' && table !== 'segments') throw new Error(`The pg-record digest is for segments rows, not ${table}.`);
    this.columns = DIGEST_COLUMNS[table];
    this.plain = scheme === 'pg-record' ? (plain ? RecordDigest.of(plain) : new RecordDigest()) : plain ? RowDigest.of(plain) : new RowDigest();
    this.json = this.columns.json ? new RowDigest() : null;
  }

  static of(table: TableName, value: TableDigestValue): TableDigest {
    const digest = new TableDigest(table, value.scheme ?? 'text', value.plain);
    if (digest.json && value.json) digest.json.merge(RowDigest.of(value.json));
    return digest;
  }

  addRow(row: Row): void {
    this.plain.addText(rowText(this.table, row));
    if (this.json && this.columns.jsonOnly.some((c) => row[c] != null)) this.json.addText(jsonText(row, this.columns.json as readonly string[]));
  }

  /** Rows already in canonical text, one per line (a table without JSON columns). */
  addLines(text: Buffer): void {
    this.plain.addLines(text);
  }

  get count(): number {
    return this.plain.count;
  }

  equals(other: TableDigest): boolean {
    const a = this.plain.value();
    const b = other.plain.value();
    const plainEqual = this.scheme === other.scheme && a.count === b.count && a.crc32Sum === b.crc32Sum && a.crc32cSum === b.crc32cSum;
    return plainEqual && (this.json === null || other.json === null ? this.json === other.json : this.json.equals(other.json));
  }

  toString(): string {
    return this.json ? `${this.plain.toString()}; JSON ${this.json.toString()}` : this.plain.toString();
  }
}
