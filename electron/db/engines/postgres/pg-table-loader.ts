/**
 * The migration target side of a Postgres catalog: streamed rows go in with their ids through
 * COPY, one statement per batch (a COPY is atomic on its own, so a batch is committed whole
 * or not at all without a BEGIN/COMMIT round trip of its own), into tables whose indexes and
 * keys are set aside while an empty catalog loads (pg-load-setaside.ts). A table's indexes are
 * rebuilt on another connection as soon as the migration says it is complete, while the next
 * table streams in; `finish` waits for them, rebuilds whatever is left, moves the identity
 * sequences past the loaded ids and refreshes statistics. Tables whose stored columns are
 * exactly the canonical row text (row-text.ts) also load from text, as the source wrote it.
 *
 * A migration resumed after a kill resends the rows after its last checkpoint, and the batch
 * that was committed after that checkpoint may already be here. Rows arrive in key order, so
 * the first batch of each table in a session removes every row from its own first key on (a
 * text batch: every row after the key it follows), in the same transaction: one range delete
 * per table instead of a delete per batch.
 */
import { TEXT_TABLES } from '../../migration/rows/row-text';
import { TABLES, type LoadPart, type Row, type TableLoader, type TableName, type TextBatch } from '../../store';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import type { PgDriver, PgQueryable } from './pg-driver';
import { isSetAside, restoreAllIndexes, restoreTableIndexes, setAsideIndexes } from './pg-load-setaside';
import { loadColumns, loadTableRows, resetIdentities } from './pg-table-rows';
import { loadSegmentsPart, segmentsParts } from './pg-partition-load';
import { hasEngineDigest } from './pg-table-digest';
import type { DigestScheme } from '../../migration/rows/table-digest';

/** Removes the rows at or after `from` (`inclusive`) or after it; a null `from` means every row. */
async function removeFrom(tx: PgQueryable, table: TableName, from: readonly (string | number)[] | null, inclusive: boolean): Promise<void> {
  if (from === null) {
    await tx.exec(`DELETE FROM ${table}`);
    return;
  }
  const key = TABLE_COLUMNS[table].key;
  await tx.query(`DELETE FROM ${table} WHERE (${key.join(', ')}) ${inclusive ? '>=' : '>'} (${key.map((_, i) => `$${i + 1}::bigint`).join(', ')})`, from);
}

/** Text tables whose stored columns are the logical ones (files also stores its search vector). */
const LOADABLE_AS_TEXT: ReadonlySet<TableName> = new Set(
  [...TEXT_TABLES].filter((t) => loadColumns(t).length === TABLE_COLUMNS[t].columns.length && TABLE_COLUMNS[t].key.every((k, i) => TABLE_COLUMNS[t].columns[i] === k)),
);

export class PgTableLoader implements TableLoader {
  readonly textTables = LOADABLE_AS_TEXT;
  /** Per table, the session's first batch (which removes leftovers of an earlier one). */
  private readonly started = new Map<TableName, Promise<void>>();
  private readonly analyzed = new Set<TableName>();
  /** Index rebuilds of completed tables, one after the other (a foreign key needs its parent's key first). */
  private rebuilding: Promise<void> = Promise.resolve();
  private rebuildError: Error | null = null;

  private constructor(
    private readonly driver: PgDriver,
    /** The server hashes records itself (PostgreSQL 14 and later): segments are verified with that. */
    private readonly recordDigest: boolean,
  ) {}

  /**
   * A loader for this catalog. Indexes are set aside only while nothing was loaded yet: a
   * resumed load finds them already set aside, and a catalog that already holds rows (a copy
   * killed after its indexes were rebuilt) keeps them.
   */
  static async open(driver: PgDriver): Promise<PgTableLoader> {
    await driver.transaction(async (tx) => {
      if (await isSetAside(tx)) return;
      const empty = await tx.queryRows<{ empty: boolean }>('SELECT NOT EXISTS (SELECT 1 FROM files) AND NOT EXISTS (SELECT 1 FROM segments) AS empty');
      if (empty[0]?.empty) await setAsideIndexes(tx);
    });
    return new PgTableLoader(driver, await hasEngineDigest(driver, 'pg-record'));
  }

  digestScheme(table: TableName): DigestScheme {
    return table === 'segments' && this.recordDigest ? 'pg-record' : 'text';
  }

  private async copy(table: TableName, leftovers: (tx: PgQueryable) => Promise<void>, copy: (q: PgQueryable) => Promise<unknown>): Promise<void> {
    const first = this.started.get(table);
    if (first) {
      // Batches may load side by side on separate connections, but only once the first one has
      // removed the leftovers: its delete must not see rows a later batch already wrote.
      await first;
      await copy(this.driver);
      return;
    }
    const loading = this.driver.transaction(async (tx) => {
      await leftovers(tx);
      await copy(tx);
    });
    this.started.set(table, loading);
    await loading;
  }

  async load(table: TableName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const key = TABLE_COLUMNS[table].key;
    await this.copy(
      table,
      (tx) => removeFrom(tx, table, key.map((k) => (rows[0] as Row)[k] as number), true),
      (q) => loadTableRows(q, table, rows),
    );
  }

  async loadText(table: TableName, batch: TextBatch): Promise<void> {
    if (batch.rows === 0) return;
    await this.copy(
      table,
      (tx) => removeFrom(tx, table, batch.after, false),
      (q) => q.copyFrom(table, TABLE_COLUMNS[table].columns, [batch.text]),
    );
  }

  /**
   * Segments on a server go in by partition (pg-partition-load.ts). PGlite keeps the batch by
   * batch path: one in-process connection gains nothing from a transaction per partition, and
   * its smaller resume steps matter more there.
   */
  async partsOf(table: TableName): Promise<LoadPart[] | null> {
    if (table !== 'segments' || this.driver.kind !== 'postgres') return null;
    return segmentsParts(this.driver);
  }

  async loadPart(table: TableName, part: LoadPart, batches: AsyncIterable<TextBatch>, copied: () => void): Promise<void> {
    if (table !== 'segments') throw new Error(`The ${table} table is not loaded in parts.`);
    await loadSegmentsPart(this.driver, part, batches, copied);
  }

  tableLoaded(table: TableName): void {
    this.rebuilding = this.rebuilding.then(async () => {
      if (this.rebuildError) return;
      try {
        await this.driver.transaction((tx) => restoreTableIndexes(tx, table));
        await this.driver.exec(`ANALYZE ${table}`);
        this.analyzed.add(table);
      } catch (error) {
        // Reported by finish, which the migration always reaches or abandons.
        this.rebuildError = error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  async finish(): Promise<void> {
    await this.rebuilding;
    if (this.rebuildError) throw this.rebuildError;
    await this.driver.transaction(async (tx) => {
      await restoreAllIndexes(tx);
      await resetIdentities(tx);
    });
    const stale = TABLES.filter((t) => !this.analyzed.has(t));
    if (stale.length > 0) await this.driver.exec(`ANALYZE ${stale.join(', ')}`);
    await this.driver.exec("SELECT gin_clean_pending_list('files_search')");
  }
}
