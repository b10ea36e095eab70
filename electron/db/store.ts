/**
 * The one store API every tier implements (one SQLite file, sharded SQLite, PGlite,
 * PostgreSQL). The manager, the handlers and the CLI only ever see this interface; what
 * differs between engines is described by `StoreCapabilities`, never by engine names.
 */
import type {
  Collection,
  CollectionSource,
  EngineName,
  FileDetail,
  FileEntry,
  FileState,
  Folder,
  NzbSource,
  Page,
  SearchPage,
  Segment,
  SegmentState,
  Tier,
} from '../../shared/domain';
import type { CopyProgress } from '../../shared/manager';
import type { StoreStats } from '../../shared/results';
import type { DigestScheme, TableDigestValue } from './migration/rows/table-digest';
import type { Row, TableName } from './migration/rows/tables';
import type { ColumnarIngestBatch } from './engines/sqlite/columnar-batch';

export interface StoreCapabilities {
  engine: EngineName;
  tier: Tier;
  /** Writers that can make progress at the same time (1 for one SQLite file). */
  concurrentWriters: number;
  /** The store lives in files the app can copy and size (SQLite, PGlite) rather than on a server. */
  fileBacked: boolean;
  /** `backup()` copies a live store without stopping writers. */
  onlineBackup: boolean;
  /** Full-text implementation, for reports only: search semantics are the same everywhere. */
  fullText: 'fts5' | 'tsvector';
  /**
   * Where segment rows live. Default 'local': on the store's own machine (one file, shards,
   * or one server's partitions). 'citus': a Citus cluster distributes `segments` by file_id
   * over its workers, so the segment table can outgrow one machine.
   */
  segmentsDistribution?: 'local' | 'citus';
}

export interface CreateCollectionInput {
  name: string;
  rootPath?: string | null;
  source: CollectionSource;
}

export interface IngestSegment {
  number: number;
  bytes: number;
  /** Lowercase hex of the segment's hash, when the segment was hashed locally. */
  hash?: string | null;
  /** Without angle brackets. */
  messageId?: string | null;
  /** Default: 'uploaded' when a message-id is given, otherwise 'indexed'. */
  state?: SegmentState;
  uploadedAt?: number | null;
}

export interface IngestFile {
  /** Path inside the collection, `/`-separated; folders are created as needed. */
  path: string;
  size: number;
  mtime?: number | null;
  contentHash?: string | null;
  subject?: string | null;
  poster?: string | null;
  postedAt?: number | null;
  groups?: string[];
  metadata?: Record<string, unknown> | null;
  /** Segment numbers that the source lists as absent (gaps), counted into missingCount. */
  missingNumbers?: number;
  /** Duplicate segment numbers the source carried (dropped before ingest). */
  duplicates?: number;
  /** Links the file to `IngestBatch.sources[].dupeKey`. */
  sourceKey?: string | null;
  /**
   * More segments follow through `appendSegments` (a file too large to hold whole, written in
   * parts). Until its final part the file counts one segment as missing, the ones yet to come,
   * so it reads partial and never as complete. Only a file of a pending NZB source may be open.
   */
  open?: boolean;
  segments: IngestSegment[];
}

/** What `appendSegments` adds to an open file. */
export interface SegmentAppend {
  /** Numbers increasing, each above every number the file already has. */
  segments: IngestSegment[];
  /**
   * Closes the file: its size (known only once every segment has been read), the numbers its
   * source lists as absent, the duplicates the source carried, and groups seen after the file
   * was opened. The open file's placeholder missing segment goes.
   */
  final?: { size: number; missingNumbers: number; duplicates: number; groups?: string[] };
}

export interface AppendResult {
  segments: number;
  bytes: number;
}

export interface NzbSourceInput {
  fileName: string;
  dupeKey: string;
  title?: string | null;
  category?: string | null;
  passwords?: string[];
  tags?: string[];
  meta?: Record<string, string[]>;
  contentHash?: string | null;
  /**
   * Create the source as an import in progress: it and its files are removed at the next
   * open unless `finishNzbSource` marks it complete first. Lets a streamed import of one NZB
   * be all-or-nothing across many batches.
   */
  pending?: boolean;
}

export interface IngestBatch {
  sources?: NzbSourceInput[];
  files: IngestFile[];
}

export type { ColumnarIngestBatch } from './engines/sqlite/columnar-batch';
/** A batch of objects, or one whose segments are already in columns (the NZB importer's). */
export type AnyIngestBatch = IngestBatch | ColumnarIngestBatch;

/** What happens when a file's path already exists in the collection. */
export type OnExisting = 'error' | 'skip' | 'replace';

export interface IngestProgress {
  batches: number;
  files: number;
  segments: number;
  bytes: number;
  skippedFiles: number;
  replacedFiles: number;
  elapsedMs: number;
  /** Ids of the NZB sources the batches created or referred to, by dupe key. */
  sourceIds: Record<string, number>;
}

export interface IngestOptions {
  onExisting?: OnExisting;
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onProgress?: (progress: IngestProgress) => void;
}

export type IngestResult = IngestProgress;

/** `date` is the file's modification time, or its posting date for NZB files. */
export type FileSort = 'name' | 'size' | 'segments' | 'date' | 'state';
export type SortDirection = 'asc' | 'desc';

export interface ListFoldersQuery {
  collectionId: number;
  /** Omit for the collection's top level. */
  parentId?: number | null;
  limit?: number;
  cursor?: string | null;
}

export interface ListFilesQuery {
  collectionId: number;
  /** Omit to list every file of the collection, whatever its folder. */
  folderId?: number | null;
  state?: FileState | null;
  sort?: FileSort;
  direction?: SortDirection;
  limit?: number;
  cursor?: string | null;
  /** Starts the page at this row of the list in its order (a seek), instead of a cursor. */
  offset?: number;
}

export type NzbSourceKey = { id: number } | { dupeKey: string } | { contentHash: string };

export type ResolvedPath = { kind: 'folder'; folder: Folder } | { kind: 'file'; file: FileEntry };

export interface SegmentsQuery {
  fileId: number;
  /** Return segments with a number greater than this. */
  afterNumber?: number;
  limit?: number;
}

export interface SegmentUpdate {
  fileId: number;
  number: number;
  state?: SegmentState;
  /** Without angle brackets; null clears it. */
  messageId?: string | null;
  uploadedAt?: number | null;
}

export interface UpdateSegmentsResult {
  updated: number;
  notFound: number;
}

export interface SearchQuery {
  query: string;
  collectionId?: number | null;
  /** Only files in this state (null or absent: every state). */
  state?: FileState | null;
  limit?: number;
  offset?: number;
}

export type { StoreStats, TableSize } from '../../shared/results';

export interface IntegrityReport {
  ok: boolean;
  problems: string[];
  checkedMs: number;
}

/** What `repair` changed, and what it could not fix. */
export interface RepairReport {
  /** Segment rows removed because their file no longer exists (e.g. left by a delete while a shard was away). */
  orphanSegments: number;
  /** Files, folders and collections whose counters were recomputed from their rows. */
  files: number;
  folders: number;
  collections: number;
  /** The full-text index was rebuilt from the files. */
  fullTextRebuilt: boolean;
  /** Damage repair cannot undo (a table's own pages): only a backup brings it back. */
  unrepaired: string[];
  elapsedMs: number;
}

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupResult {
  path: string;
  bytes: number;
  elapsedMs: number;
}

// The tables and rows every store streams and loads are the canonical row format's (migration/rows/).
export { TABLES } from './migration/rows/tables';
export type { Row, TableName } from './migration/rows/tables';

export interface StreamTableOptions {
  batchSize?: number;
  /** Resume after this primary key (as returned in `TableBatch.lastKey`). */
  after?: (string | number)[] | null;
  signal?: AbortSignal;
}

/** How `streamSegmentsText` reads: batches of about `batchSize` rows. */
export interface SegmentsTextOptions {
  batchSize?: number;
  signal?: AbortSignal;
}

export interface TableBatch {
  rows: Row[];
  /** Primary key of the last row in `rows`, to resume from. */
  lastKey: (string | number)[];
}

/** Rows as canonical text (row-text.ts): UTF-8 lines, one per row, each ending in a newline. */
export interface TextBatch {
  text: Buffer;
  rows: number;
  /** The batch holds every row after this key (null: from the table's start) up to `lastKey`. */
  after: (string | number)[] | null;
  /** Primary key of the batch's last row in key order, to resume from. */
  lastKey: (string | number)[];
}

/**
 * Bulk loading of streamed rows into an empty store, the target side of a migration. Rows
 * keep their ids; loading the same rows again replaces them, so a migration resumed after a
 * crash may resend its last batch. Counters arrive as columns and are not recomputed; the
 * search index is built once, at `finish`.
 */
/** One part of a table a loader fills in one transaction (`TableLoader.partsOf`). */
export interface LoadPart {
  /** Position in the table's list of parts; the journal counts parts committed in this order. */
  index: number;
  /** Where the part lives in the target (a partition's table name). */
  name: string;
  fileIds: readonly number[];
}

export interface TableLoader {
  load(table: TableName, rows: Row[]): Promise<void>;
  /** Loads rows given as canonical text, for the tables in `textTables`; same contract as `load`. */
  loadText?(table: TableName, batch: TextBatch): Promise<void>;
  /** Tables `loadText` takes (their stored columns are exactly the canonical text's). */
  readonly textTables?: ReadonlySet<TableName>;
  /**
   * The parts this loader fills `table` in, one transaction each, when it can (a PostgreSQL
   * server: each hash partition of segments, COPYed straight into the partition, which that
   * transaction truncates first); null to take the table batch by batch. A part holds every
   * segment of its `fileIds` (ascending).
   */
  partsOf?(table: TableName): Promise<LoadPart[] | null>;
  /**
   * Replaces whatever `part` held with these batches, in one transaction: committed whole or
   * not at all, so a resume redoes at most the part a kill interrupted. `copied` is called
   * once every batch has gone in and only the commit (and the part's own index) remains.
   */
  loadPart?(table: TableName, part: LoadPart, batches: AsyncIterable<TextBatch>, copied: () => void): Promise<void>;
  /** Every row of `table` is in: its deferred work (indexes) may start now, in the background; `finish` waits for it. */
  tableLoaded?(table: TableName): void;
  /**
   * The digest scheme this target verifies `table` with (table-digest.ts), when it offers one
   * cheaper than canonical text; the migration then digests the source's rows the same way.
   */
  digestScheme?(table: TableName): DigestScheme;
  finish(): Promise<void>;
}

/** A re-shard in place (a store with `reshard`): what it has done so far. */
/** Where a re-shard stands: the counts its result reports (progress goes out as CopyProgress). */
export interface ReshardProgress {
  phase: 'copy' | 'verify' | 'cleanup' | 'done';
  from: number;
  to: number;
  /** Rows read from the shards that can lose rows. */
  scannedRows: number;
  totalRows: number;
  movedRows: number;
  elapsedMs: number;
}

export interface ReshardOptions {
  signal?: AbortSignal;
  /** The one progress shape of a move (shared/manager.ts): the rows read from the shards that can lose rows, of `segments`. */
  onProgress?: (p: CopyProgress) => void;
}

export interface ReshardResult extends ReshardProgress {
  verified: boolean;
  /** Moved rows as a share of the rows scanned, and the share jump hashing predicts. */
  movedShare: number;
  expectedShare: number;
}

export interface CatalogStore {
  readonly capabilities: StoreCapabilities;
  /** Where the store lives (a file path or a connection description without secrets). */
  readonly location: string;

  close(): Promise<void>;

  createCollection(input: CreateCollectionInput): Promise<Collection>;
  listCollections(): Promise<Collection[]>;
  getCollection(id: number): Promise<Collection>;
  findCollectionByName(name: string): Promise<Collection | null>;
  renameCollection(id: number, name: string): Promise<Collection>;
  /** Removes a collection and everything in it; resumes at the next open if interrupted. */
  deleteCollection(id: number): Promise<void>;

  ingest(
    collectionId: number,
    batches: AsyncIterable<AnyIngestBatch> | Iterable<AnyIngestBatch>,
    options?: IngestOptions,
  ): Promise<IngestResult>;

  /**
   * Adds segments to an open file of a pending NZB source (see `IngestFile.open`), its file,
   * folder and collection counters with them, in one transaction. Refuses a file that is not
   * open and numbers not above the file's highest, changing nothing.
   */
  appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult>;

  listFolders(query: ListFoldersQuery): Promise<Page<Folder>>;
  /** What a collection-relative path names: a folder ('' is the top level), a file, or nothing. */
  resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null>;
  listFiles(query: ListFilesQuery): Promise<Page<FileEntry>>;
  getFile(fileId: number): Promise<FileDetail>;
  /** Files of a collection with exactly this name, in any folder. */
  findFilesByName(collectionId: number, name: string): Promise<FileEntry[]>;
  getSegments(query: SegmentsQuery): Promise<Segment[]>;
  updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult>;
  /** Records new modification times for files whose content is unchanged; returns how many. */
  updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number>;
  /** A complete NZB source by id, by dupe key, or by the SHA-256 of its file. */
  getNzbSource(collectionId: number, key: NzbSourceKey): Promise<NzbSource | null>;
  /**
   * Marks a pending source complete under its final dupe key. Throws `conflict` (with
   * `details.existingId`) when a complete source of the collection already has that key.
   */
  finishNzbSource(sourceId: number, final: { dupeKey: string }): Promise<NzbSource>;
  /**
   * Removes these files with their segments, counters included. An NZB source left with no
   * file goes too, so importing that NZB again brings the files back instead of being a
   * duplicate. Folders stay. Ids that name no file are ignored; returns what went.
   */
  deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }>;
  /** Removes a source and every file that came from it, counters included. */
  removeNzbSource(sourceId: number): Promise<{ files: number; segments: number }>;

  search(query: SearchQuery): Promise<SearchPage>;

  stats(options?: { detailed?: boolean }): Promise<StoreStats>;
  streamTable(table: TableName, options?: StreamTableOptions): AsyncIterable<TableBatch>;
  /**
   * The same batches as canonical text (row-text.ts), where the engine can write it without
   * building rows; null for a table it cannot (tables with JSON columns never can).
   */
  streamTableText?(table: TableName, options?: StreamTableOptions): AsyncIterable<TextBatch> | null;
  /**
   * Every segment of these files (ids ascending and distinct) as canonical text, for a target
   * that fills one partition at a time (its batches' `after` and `lastKey` name files, not
   * segment keys). Left out by engines that cannot find a file's segments cheaply.
   */
  streamSegmentsText?(fileIds: readonly number[], options?: SegmentsTextOptions): AsyncIterable<TextBatch>;
  checkIntegrity(): Promise<IntegrityReport>;
  /**
   * Fixes what `checkIntegrity` reports and the rows can prove: removes orphan segments,
   * recomputes counters, rebuilds the full-text index when it is damaged. Never guesses lost
   * rows; damaged table pages are listed in `unrepaired`. Engines without it leave it out.
   */
  repair?(): Promise<RepairReport>;
  backup(destination: string, options?: { onProgress?: (p: BackupProgress) => void }): Promise<BackupResult>;
  /** The store as a migration target; engines without a bulk path leave it out. */
  openLoader?(): Promise<TableLoader>;
  /**
   * A table's verification digest (migration/table-digest.ts) computed by the engine itself
   * over every row it stores; null, or left out, where the engine cannot, and the migration
   * then reads the rows.
   */
  digestTable?(table: TableName, scheme?: DigestScheme): Promise<TableDigestValue | null>;
  /** How many shards a sharded store spreads segments over; left out by one-place stores. */
  readonly shardCount?: number;
  /**
   * Changes the shard count in place, moving only the rows whose shard changes. The capability
   * of a sharded store (the manager re-shards whatever store has it); others leave it out.
   */
  reshard?(target: number, options?: ReshardOptions): Promise<ReshardResult>;
}

/**
 * What a read may do with a store: every query, no change. `DatabaseManager.read` hands out
 * this view, so a read that tries to write does not compile (writes go through `write`, which
 * refuses them during a move or on a read-only folder).
 */
export type CatalogReader = Pick<
  CatalogStore,
  | 'capabilities'
  | 'location'
  | 'listCollections'
  | 'getCollection'
  | 'findCollectionByName'
  | 'listFolders'
  | 'resolvePath'
  | 'listFiles'
  | 'getFile'
  | 'findFilesByName'
  | 'getSegments'
  | 'getNzbSource'
  | 'search'
  | 'stats'
  | 'streamTable'
  | 'streamTableText'
  | 'streamSegmentsText'
  | 'checkIntegrity'
  | 'backup'
  | 'digestTable'
  | 'shardCount'
>;
