/** Messages between the sharded store (catalog thread) and the writer of its search file. */
import type { SqliteTuning } from '../sqlite/open-database';
import type { TextColumn } from './segment-columns';

export interface SearchWorkerData {
  file: string;
  catalogFile: string;
  tuning: SqliteTuning;
}

/** The full-text rows of some files, in columns (one joined string per text column, as segments travel). */
export interface SearchRows {
  count: number;
  fileIds: Float64Array;
  names: TextColumn;
  folders: TextColumn;
  subjects: TextColumn;
}

export type SearchCommand =
  /** Rows of the batch being written; the first one opens the search file's transaction. No reply. */
  | { op: 'rows'; rows: SearchRows }
  /** The catalog committed the batch: commit it here too, indexed up to `upTo`. No reply. */
  | { op: 'commit'; upTo: number }
  /** The catalog rolled the batch back. No reply. */
  | { op: 'rollback' }
  /** Indexes the catalog's files above the mark (after a kill between the two commits); replies with the rows added. */
  | { op: 'catch-up' }
  /** Indexes every file of the catalog anew (repair, a migration's load); replies with the rows. */
  | { op: 'rebuild' }
  | { op: 'purge'; fileIds: number[] }
  /** FTS5's own check of the index; replies with a problem or null. */
  | { op: 'check' }
  /** Replies once every earlier message was handled; with the failure of a commit nobody waited on, if any. */
  | { op: 'sync' }
  | { op: 'checkpoint' }
  | { op: 'close' };
