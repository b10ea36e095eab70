/**
 * Where a migration keeps its checkpoints: per table, the key of the last batch the target
 * committed and the rows copied so far. The journal lives in the data folder's control
 * database (move-journal.ts); a migration run again after a crash or kill resumes from it.
 */
import type { TableName } from '../store';

export interface TableCheckpoint {
  table: TableName;
  lastKey: (string | number)[] | null;
  rows: number;
  done: boolean;
  /**
   * For a table its loader fills in parts (TableLoader.partsOf): how many parts, in order, the
   * target has committed. Absent or 0 otherwise; a table is copied by key or by parts, never both.
   */
  parts?: number;
}

export interface MigrationJournal {
  checkpoint(table: TableName): TableCheckpoint;
  save(checkpoint: TableCheckpoint): void;
  /** True when some table was already (partly) copied by an earlier run of this job. */
  readonly resumed: boolean;
}

/** A journal held in memory: for tests and one-shot copies that need not survive a crash. */
export class MemoryJournal implements MigrationJournal {
  private readonly tables = new Map<TableName, TableCheckpoint>();
  readonly resumed = false;

  checkpoint(table: TableName): TableCheckpoint {
    return this.tables.get(table) ?? { table, lastKey: null, rows: 0, done: false };
  }

  save(checkpoint: TableCheckpoint): void {
    this.tables.set(checkpoint.table, { ...checkpoint });
  }
}
