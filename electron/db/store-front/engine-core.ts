/**
 * What an engine implements: the store's operations with their arguments already checked and
 * normalized by the front (checked-store.ts), which every engine shares. A core never sees a
 * raw caller value, so it holds no argument checks of its own; it may throw its driver's
 * errors, which the front maps with `mapError`.
 */
import type { Collection, CollectionSource, FileEntry, FileState, Folder, NzbSource, Page, SearchPage, Segment } from '../../../shared/domain';
import type { SearchNode } from '../../../shared/search-query';
import type { BackupProgress, BackupResult, CatalogStore, ColumnarIngestBatch, FileSort, IngestBatch, IngestProgress, OnExisting, ReshardOptions, ReshardResult, ResolvedPath, SegmentUpdate, SortDirection, SegmentsTextOptions, StoreStats, StreamTableOptions, TableBatch, TableName, TextBatch, UpdateSegmentsResult } from '../store';

export interface NewCollection {
  /** Trimmed. */
  name: string;
  rootPath: string | null;
  source: CollectionSource;
}

export interface FolderPageQuery {
  collectionId: number;
  /** null: the collection's top level. */
  parentId: number | null;
  limit: number;
  cursor: string | null;
}

export interface FilePageQuery {
  collectionId: number;
  folderId: number | null;
  state: FileState | null;
  sort: FileSort;
  direction: SortDirection;
  limit: number;
  /** 0 unless the page starts at a row position; never together with a cursor. */
  offset: number;
  cursor: string | null;
}

export interface SegmentPageQuery {
  fileId: number;
  /** 0 for the first page. */
  afterNumber: number;
  limit: number;
}

export interface SearchPageQuery {
  tree: SearchNode;
  collectionId: number | null;
  state: FileState | null;
  limit: number;
  offset: number;
}

/** An NZB source looked up by one of its keys, named by its column. */
export type SourceLookup = { column: 'id'; value: number } | { column: 'dupe_key' | 'content_hash'; value: string };

export interface BatchOutcome {
  files: number;
  segments: number;
  bytes: number;
  skippedFiles: number;
  replacedFiles: number;
}

/**
 * One ingest on one engine. The front reads the batches, counts progress and honours the
 * abort signal; the session turns each batch into committed rows.
 */
export interface IngestSession<Prepared = unknown> {
  /**
   * Read and prepare the next batch while this one is written: a server loads a batch while
   * the next one is prepared on the other core. False where a write blocks the process anyway
   * (SQLite), so a source never runs ahead of what was written.
   */
  readonly readAhead: boolean;
  /** Work that needs no database (validation, counters, documents). */
  prepare(batch: IngestBatch): Prepared | Promise<Prepared>;
  /**
   * The same for a batch already in columns, where the engine can take it so (a writer
   * thread); without it, the batch is decoded into objects and given to `prepare`.
   */
  prepareColumns?(batch: ColumnarIngestBatch): Prepared | Promise<Prepared>;
  /** Writes one prepared batch in one transaction. */
  write(prepared: Prepared): Promise<BatchOutcome>;
  /** NZB source ids by dupe key, as far as the committed batches know them. */
  knownSources(): Record<string, number>;
  /** After the last batch committed. */
  finish?(progress: IngestProgress): Promise<void>;
  /** Always, after the ingest ended one way or the other. */
  release?(): Promise<void>;
}

/** Members whose arguments need no normalizing: the core takes them as the store does, once checked. */
type AsInStore = Pick<
  CatalogStore,
  'capabilities' | 'location' | 'shardCount' | 'close' | 'listCollections' | 'getCollection' | 'deleteCollection' | 'appendSegments' | 'getFile' | 'checkIntegrity' | 'repair' | 'openLoader' | 'digestTable'
>;

export interface EngineCore extends AsInStore {
  /** What `backup` writes, for its messages: one file, or a folder of files. */
  readonly backupLayout: 'file' | 'folder';
  /** The engine's driver errors in the one error shape; anything else unchanged. */
  mapError(error: unknown): unknown;

  createCollection(input: NewCollection): Promise<Collection>;
  /** Trimmed names. */
  findCollectionByName(name: string): Promise<Collection | null>;
  renameCollection(id: number, name: string): Promise<Collection>;
  startIngest(collectionId: number, onExisting: OnExisting): Promise<IngestSession>;
  listFolders(query: FolderPageQuery): Promise<Page<Folder>>;
  /** `relPath` without leading or trailing slashes ('' is the top level). */
  resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null>;
  listFiles(query: FilePageQuery): Promise<Page<FileEntry>>;
  findFilesByName(collectionId: number, name: string): Promise<FileEntry[]>;
  getSegments(query: SegmentPageQuery): Promise<Segment[]>;
  updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult>;
  updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number>;
  getNzbSource(collectionId: number, key: SourceLookup): Promise<NzbSource | null>;
  finishNzbSource(sourceId: number, dupeKey: string): Promise<NzbSource>;
  /** Distinct ids. */
  deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }>;
  /** null: there is no such source. */
  removeNzbSource(sourceId: number): Promise<{ files: number; segments: number } | null>;
  search(query: SearchPageQuery): Promise<SearchPage>;
  stats(detailed: boolean): Promise<StoreStats>;
  streamTable(table: TableName, options: StreamTableOptions): AsyncIterable<TableBatch>;
  streamTableText?(table: TableName, options: StreamTableOptions): AsyncIterable<TextBatch> | null;
  streamSegmentsText?(fileIds: readonly number[], options: SegmentsTextOptions): AsyncIterable<TextBatch>;
  backup(destination: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult>;
  /** The shard count's bounds are the engine's own, so it checks `target` itself. */
  reshard?(target: number, options: ReshardOptions): Promise<ReshardResult>;
}
