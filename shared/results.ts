/**
 * Results of the catalog's operations, shared by the code that produces them (the database
 * process) and every client that shows them (renderer, CLI). No Node imports.
 */

export interface TableSize {
  name: string;
  bytes: number;
}

export interface StoreStats {
  tier: number;
  engine: string;
  location: string;
  schemaVersion: number;
  collections: number;
  folders: number;
  files: number;
  segments: number;
  /** Sum of segment bytes. */
  bytes: number;
  /** Size of the store on disk, journal included. */
  dbBytes: number;
  /** Present when asked for with `detailed` (it reads every page). */
  tables?: TableSize[];
  /** Sharded stores, with `detailed`: each segment shard's file, size and rows. */
  shards?: ShardSize[];
}

export interface ShardSize {
  index: number;
  /** The shard's file name inside the store's folder. */
  file: string;
  bytes: number;
  /** Null when the shard cannot be read (its error is in `problem`). */
  segments: number | null;
  problem?: string;
}

export interface NzbImportWarnings {
  emptyFiles: number;
  invalidSegments: number;
  duplicateSegments: number;
  missingSegments: number;
  emptyGroups: number;
  duplicateFiles: number;
  /** Segments dropped because their message-id holds whitespace, a control character or an angle bracket. */
  invalidMessageIds: number;
  /** Group names dropped for the same reason. */
  invalidGroups: number;
}

export interface NzbImportResult {
  file: string;
  status: 'imported' | 'duplicate' | 'failed' | 'cancelled';
  /** The collection folder the NZB's files went to. */
  folder: string | null;
  sourceId: number | null;
  files: number;
  segments: number;
  bytes: number;
  passwords: string[];
  warnings: NzbImportWarnings;
  error?: { name: string; code: string; message: string; details?: Record<string, unknown> };
}

export interface IndexProblem {
  path: string;
  reason: string;
}

export interface IndexResult {
  collectionId: number;
  filesSeen: number;
  added: number;
  replaced: number;
  touched: number;
  unchanged: number;
  /** Catalogued files no longer found in folders that were walked. */
  gone: string[];
  segments: number;
  bytesHashed: number;
  problems: IndexProblem[];
  elapsedMs: number;
}

export interface AttachMismatch {
  file: string;
  reason: string;
}

export interface AttachResult {
  nzbFiles: number;
  matchedFiles: number;
  attachedSegments: number;
  unmatched: AttachMismatch[];
  segmentProblems: AttachMismatch[];
}
