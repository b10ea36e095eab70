/**
 * The migration target side of a SQLite catalog: streamed rows go in with their ids through
 * prepared multi-row statements, one transaction per batch, foreign keys checked once at the
 * end instead of per row, and the search index built in one pass when every table is in.
 */
import { StrataError } from '../../../../shared/errors';
import type { Row, TableLoader, TableName } from '../../store';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import type { SqliteDatabase } from './open-database';

const ROWS_PER_STATEMENT = 64;

export interface SqliteLoaderHooks {
  /** Takes the rows of `segments` instead of the local table (the sharded tier). */
  segments?: (rows: Row[]) => Promise<void>;
  /** False: the search index is built elsewhere after the load (the sharded tier's search file). */
  fullText?: boolean;
}

export class SqliteTableLoader implements TableLoader {
  private readonly statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(
    private readonly db: SqliteDatabase,
    private readonly hooks: SqliteLoaderHooks = {},
  ) {
    // Parents may arrive after children only across tables that the migration orders for
    // us; checking every row as it lands would cost more than one check at the end.
    db.pragma('foreign_keys = OFF');
  }

  private statement(table: TableName, rows: number): ReturnType<SqliteDatabase['prepare']> {
    const key = `${table}:${rows}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      const columns = TABLE_COLUMNS[table].columns;
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      stmt = this.db.prepare(`INSERT OR REPLACE INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => tuple).join(', ')}`);
      this.statements.set(key, stmt);
    }
    return stmt;
  }

  async load(table: TableName, rows: Row[]): Promise<void> {
    if (table === 'segments' && this.hooks.segments) return this.hooks.segments(rows);
    const columns = TABLE_COLUMNS[table].columns;
    const hashAt = table === 'segments' ? columns.indexOf('hash') : -1;
    const values = (row: Row): unknown[] =>
      columns.map((c, i) => {
        const v = row[c] ?? null;
        return i === hashAt && v !== null ? Buffer.from(v as string, 'hex') : v;
      });
    this.db.transaction(() => {
      const whole = rows.length - (rows.length % ROWS_PER_STATEMENT);
      const block = this.statement(table, ROWS_PER_STATEMENT);
      for (let i = 0; i < whole; i += ROWS_PER_STATEMENT) block.run(rows.slice(i, i + ROWS_PER_STATEMENT).flatMap(values));
      const one = this.statement(table, 1);
      for (let i = whole; i < rows.length; i++) one.run(values(rows[i] as Row));
    }).immediate();
    return Promise.resolve();
  }

  async finish(): Promise<void> {
    if (this.hooks.fullText !== false) rebuildFullText(this.db);
    const broken = this.db.prepare('PRAGMA foreign_key_check').all();
    this.db.pragma('foreign_keys = ON');
    if (broken.length > 0) {
      throw new StrataError('internal', `The loaded catalog has ${broken.length} rows whose parent is missing; the migration stops and the source stays active.`, {
        example: broken[0],
      });
    }
    return Promise.resolve();
  }
}

/** Fills the full-text index from the files table (after a load, or to repair it). */
export function rebuildFullText(db: SqliteDatabase): void {
  const fill = (): void => {
    // The folder part of rel_path: trim the last component, then the slash before it.
    db.prepare("INSERT INTO files_fts (rowid, name, folder, subject) SELECT id, name, rtrim(rtrim(rel_path, replace(rel_path, '/', '')), '/'), subject FROM files").run();
  };
  try {
    db.transaction(() => {
      db.prepare("INSERT INTO files_fts (files_fts) VALUES ('delete-all')").run();
      fill();
    }).immediate();
  } catch (error) {
    // Damaged index pages can make even clearing it fail: the index is then made anew from
    // its own definition (it holds nothing that the files table does not).
    const ddl = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'files_fts'").pluck().get() as string | undefined;
    if (!ddl) throw error;
    db.transaction(() => {
      db.exec('DROP TABLE files_fts');
      db.exec(ddl);
      db.prepare("INSERT INTO files_fts (files_fts, rank) VALUES ('automerge', 8)").run();
      fill();
    }).immediate();
  }
}
