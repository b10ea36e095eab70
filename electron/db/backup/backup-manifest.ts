/**
 * What a backup records about itself so a restore can prove it got everything back: per table,
 * the row count and the order-independent digest the migrations verify with
 * (migration/rows/table-digest.ts). A one-file backup keeps it in a table inside the file, a sharded
 * backup in its strata-backup.json, a PostgreSQL backup in its header and last line: never in a
 * file of its own beside the backup.
 */
import { StrataError } from '../../../shared/errors';
import type { SqliteDatabase } from '../engines/sqlite/open-database';
import { streamSqliteTable } from '../engines/sqlite/sqlite-maintenance';
import { TableDigest } from '../migration/rows/table-digest';
import type { CatalogStore, TableName } from '../store';
import { TABLES } from '../store';

export interface TableRecord {
  rows: number;
  digest: string;
}
export type TableRecords = Partial<Record<TableName, TableRecord>>;

/** The table inside a one-file backup that holds its manifest. */
export const MANIFEST_TABLE = 'strata_backup_manifest';

const BATCH = 20_000;

function record(digest: TableDigest): TableRecord {
  return { rows: digest.count, digest: digest.toString() };
}

/**
 * Digests of the catalog file and shard files of a backup, read straight from the files (not
 * through a store, whose open would write to them). A sharded store's segments are the sum over
 * its shards; its catalog's own segments table is empty and adds nothing.
 */
export async function digestSqliteFiles(catalog: SqliteDatabase, shards: readonly SqliteDatabase[] = []): Promise<TableRecords> {
  const out: TableRecords = {};
  for (const table of TABLES) {
    const digest = new TableDigest(table);
    for (const db of table === 'segments' ? [catalog, ...shards] : [catalog]) {
      for await (const batch of streamSqliteTable(table, { batchSize: BATCH }, (fn) => fn(db))) {
        for (const row of batch.rows) digest.addRow(row);
      }
    }
    out[table] = record(digest);
  }
  return out;
}

/** The same digests over an open store of any engine. */
export async function digestStore(store: CatalogStore): Promise<TableRecords> {
  const out: TableRecords = {};
  for (const table of TABLES) {
    const value = store.digestTable ? await store.digestTable(table) : null;
    let digest: TableDigest;
    if (value) {
      digest = TableDigest.of(table, value);
    } else {
      digest = new TableDigest(table);
      for await (const batch of store.streamTable(table, { batchSize: BATCH })) for (const row of batch.rows) digest.addRow(row);
    }
    out[table] = record(digest);
  }
  return out;
}

export function writeManifestTable(db: SqliteDatabase, tables: TableRecords): void {
  db.exec(`CREATE TABLE ${MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID`);
  db.prepare(`INSERT INTO ${MANIFEST_TABLE} (key, value) VALUES ('tables', ?), ('created_at', ?)`).run(JSON.stringify(tables), String(Date.now()));
}

/** The manifest inside a one-file backup; null for a backup made before backups had one. */
export function readManifestTable(db: SqliteDatabase): TableRecords | null {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(MANIFEST_TABLE) !== undefined;
  if (!exists) return null;
  const row = db.prepare(`SELECT value FROM ${MANIFEST_TABLE} WHERE key = 'tables'`).get() as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as TableRecords) : null;
}

/**
 * Compares what a restore holds with what its backup recorded; every difference is named.
 * Tables the backup did not record (written by an older version) are not compared.
 */
export function compareRecords(backup: string, recorded: TableRecords, restored: TableRecords): void {
  const problems: string[] = [];
  for (const table of TABLES) {
    const want = recorded[table];
    const got = restored[table];
    if (!want) continue;
    if (!got) problems.push(`${table}: missing from the restored copy`);
    else if (got.rows !== want.rows) problems.push(`${table}: the backup recorded ${want.rows.toLocaleString('en-US')} rows and holds ${got.rows.toLocaleString('en-US')}`);
    else if (got.digest !== want.digest) problems.push(`${table}: ${got.rows.toLocaleString('en-US')} rows, but their contents differ from what the backup recorded`);
  }
  if (problems.length > 0) {
    throw new StrataError(
      'db-corrupt',
      `The backup ${backup} is damaged: ${problems.join('; ')}. Nothing was restored and the active catalog is unchanged; use another backup.`,
      { backup, problems },
    );
  }
}
