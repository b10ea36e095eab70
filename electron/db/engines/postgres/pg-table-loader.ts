/**
 * The migration target side of a Postgres catalog: streamed rows go in with their ids through
 * COPY, one transaction per batch. A batch replaces rows with the same keys first, so a
 * migration resumed after a crash may resend its last batch. Search vectors are built per
 * row as files load (search-document.ts); `finish` moves the identity sequences past the
 * loaded ids and refreshes statistics and the full-text index's pending list.
 */
import type { Row, TableLoader, TableName } from '../../store';
import { TABLE_COLUMNS } from '../../table-columns';
import type { PgDriver } from './pg-driver';
import { loadTableRows, resetIdentities } from './pg-table-rows';

export class PgTableLoader implements TableLoader {
  constructor(private readonly driver: PgDriver) {}

  async load(table: TableName, rows: Row[]): Promise<void> {
    if (rows.length === 0) return;
    const key = TABLE_COLUMNS[table].key;
    await this.driver.transaction(async (tx) => {
      if (key.length === 1) {
        await tx.query(`DELETE FROM ${table} WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id as number)]);
      } else {
        const [a, b] = key as [string, string];
        await tx.query(
          `DELETE FROM ${table} t USING unnest($1::bigint[], $2::bigint[]) AS u(a, b) WHERE t.${a} = u.a AND t.${b} = u.b`,
          [rows.map((r) => r[a] as number), rows.map((r) => r[b] as number)],
        );
      }
      await loadTableRows(tx, table, rows);
    });
  }

  async finish(): Promise<void> {
    await this.driver.transaction((tx) => resetIdentities(tx));
    await this.driver.exec("ANALYZE; SELECT gin_clean_pending_list('files_search')");
  }
}
