/**
 * The small interface the Postgres dialect runs on. PGlite (in-process WASM) and node-postgres
 * (a portable or existing server) implement it; the store, ingest and maintenance code is
 * written once against it, so both get exactly the same SQL.
 *
 * Contract every driver keeps:
 * - bigint (int8) columns come back as JS numbers (the catalog's values are safe integers);
 *   numeric aggregates must be cast to bigint in SQL to get the same treatment.
 * - bytea comes back as a Uint8Array/Buffer; jsonb as parsed JSON.
 * - `transaction` runs `fn` on one connection between BEGIN and COMMIT, rolling back when it
 *   throws. Inside `fn`, only the `tx` handle may be used: calling the driver itself from
 *   inside a transaction would wait for the transaction to end (on PGlite, forever).
 */

export type PgParam = string | number | boolean | null | Uint8Array | readonly string[] | readonly number[];

/** COPY text in chunks, as strings or UTF-8 bytes; chunks are concatenated in order. */
export type CopyChunk = string | Uint8Array;
export type CopyData = Iterable<CopyChunk> | AsyncIterable<CopyChunk>;

export interface PgResult<R> {
  rows: R[];
  /** Rows changed by an INSERT/UPDATE/DELETE (0 for other statements). */
  rowCount: number;
}

export interface PgQueryable {
  /**
   * The rows of one SELECT, for reads that return many rows (pages, streams). Same result as
   * `query(...).rows`, but a driver may fetch them in a cheaper shape: PGlite decodes each
   * row and value in JavaScript, so it fetches one JSON document instead. Columns must be
   * JSON-representable as the caller wants them (bytea as hex text, jsonb as text).
   */
  queryRows<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (schema migrations). */
  exec(sql: string): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<PgResult<R>>;
  /**
   * Bulk-loads rows in COPY text format (tab-separated, `\N` for NULL, escaped with
   * `copy-text.ts`), each line ending in a newline. Chunks are concatenated in order and may
   * be produced lazily: a server driver streams each chunk as it comes, so building the next
   * one overlaps the server's work on the last. Returns the number of rows loaded.
   */
  copyFrom(table: string, columns: readonly string[], data: CopyData, options?: CopyFromOptions): Promise<number>;
}

export interface CopyFromOptions {
  /**
   * COPY ... FREEZE: rows are written already frozen (no hint-bit rewrite of every page on first
   * read). PostgreSQL allows it only for a table created or truncated in the same transaction,
   * and the rows are visible to other sessions before the commit; a driver may ignore it.
   */
  freeze?: boolean;
}

export interface TransactionOptions {
  /** A read-only snapshot (REPEATABLE READ): every query of `fn` sees the same data. */
  snapshot?: boolean;
}

export interface PgDriver extends PgQueryable {
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, without secrets (a folder, or user@host:port/database). */
  readonly location: string;
  transaction<T>(fn: (tx: PgQueryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Size of the database on disk, in bytes. */
  databaseBytes(): Promise<number>;
  close(): Promise<void>;
}

/** The id an `INSERT ... RETURNING id` (or a lookup by key) produced; its absence is a bug. */
export function returnedId(result: PgResult<{ id: number }>): number {
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error('The database returned no row where one was certain.');
  return id;
}
