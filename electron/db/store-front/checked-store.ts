/**
 * The store front every engine opens behind: argument checks and normalization (trimmed names,
 * default page sizes and sorts), the ingest loop with its progress and cancellation, the
 * closed state and the mapping of driver errors, written once over an engine's core. So every
 * tier refuses the same bad input with the same typed error, and a core only sees checked
 * arguments (the conformance suite holds every engine to it).
 */
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../../../shared/domain';
import { StrataError, invalidArgument } from '../../../shared/errors';
import { LIMITS } from '../../../shared/limits';
import { parseSearchQuery } from '../../../shared/search-query';
import type { DigestScheme, TableDigestValue } from '../migration/rows/table-digest';
import type { AnyIngestBatch, AppendResult, BackupProgress, BackupResult, CatalogStore, CreateCollectionInput, IngestOptions, IngestResult, IntegrityReport, ListFilesQuery, ListFoldersQuery, NzbSourceKey, OnExisting, RepairReport, ReshardOptions, ReshardResult, ResolvedPath, SearchQuery, SegmentAppend, SegmentsQuery, SegmentUpdate, SegmentsTextOptions, StoreCapabilities, StoreStats, StreamTableOptions, TableBatch, TableLoader, TableName, TextBatch, UpdateSegmentsResult } from '../store';
import { checkCollectionName, checkDirection, checkFileIds, checkFileState, checkId, checkLimit, checkListOffset, checkOffset, checkSegmentState, checkSort } from '../validate';
import type { EngineCore, SourceLookup } from './engine-core';
import { ingestBatches } from './ingest-loop';
import { noNzbSource } from './store-errors';

function checkOnExisting(value: unknown): OnExisting {
  const onExisting = value ?? 'error';
  if (onExisting !== 'error' && onExisting !== 'skip' && onExisting !== 'replace') {
    throw invalidArgument(`onExisting is error, skip or replace; got ${JSON.stringify(onExisting)}.`);
  }
  return onExisting;
}

function checkSourceKey(key: NzbSourceKey): SourceLookup {
  const k = (key ?? {}) as Partial<Record<'id' | 'dupeKey' | 'contentHash', unknown>>;
  const lookup =
    k.id !== undefined
      ? { column: 'id' as const, value: checkId(k.id, 'The NZB source id') }
      : k.dupeKey !== undefined
        ? { column: 'dupe_key' as const, value: k.dupeKey }
        : { column: 'content_hash' as const, value: k.contentHash };
  if ((typeof lookup.value !== 'string' || lookup.value === '') && typeof lookup.value !== 'number') {
    throw invalidArgument('Look an NZB source up by its id, a non-empty dupeKey or a contentHash.');
  }
  return lookup as SourceLookup;
}

function checkSegmentUpdates(updates: SegmentUpdate[]): SegmentUpdate[] {
  if (!Array.isArray(updates)) throw invalidArgument('Segment updates must be a list.');
  if (updates.length > LIMITS.segmentUpdates) {
    throw invalidArgument(`Update at most ${LIMITS.segmentUpdates} segments per call; split the list.`);
  }
  for (const u of updates) {
    checkId(u?.fileId, 'A segment update file id');
    checkId(u.number, 'A segment update number');
    if (u.state !== undefined) checkSegmentState(u.state);
    if (u.messageId !== undefined && u.messageId !== null && (typeof u.messageId !== 'string' || u.messageId === '')) {
      throw invalidArgument('A message-id must be non-empty text or null.');
    }
  }
  return updates;
}

function checkMtimeUpdates(updates: { fileId: number; mtime: number }[]): { fileId: number; mtime: number }[] {
  if (!Array.isArray(updates)) throw invalidArgument('File time updates must be a list.');
  for (const u of updates) {
    checkId(u?.fileId, 'A file id');
    if (typeof u.mtime !== 'number' || !Number.isSafeInteger(u.mtime)) throw invalidArgument('A modification time must be whole milliseconds.');
  }
  return updates;
}

export class CheckedStore implements CatalogStore {
  private closed = false;
  // Declared, not defined: a capability the core lacks is no property at all, not an undefined one.
  declare readonly streamTableText?: (table: TableName, options?: StreamTableOptions) => AsyncIterable<TextBatch> | null;
  declare readonly streamSegmentsText?: (fileIds: readonly number[], options?: SegmentsTextOptions) => AsyncIterable<TextBatch>;
  declare readonly repair?: () => Promise<RepairReport>;
  declare readonly openLoader?: () => Promise<TableLoader>;
  declare readonly digestTable?: (table: TableName, scheme?: DigestScheme) => Promise<TableDigestValue | null>;
  declare readonly reshard?: (target: number, options?: ReshardOptions) => Promise<ReshardResult>;

  constructor(protected readonly core: EngineCore) {
    // Optional capabilities exist on the front only where the core has them: callers test
    // for their presence (the manager re-shards whatever store has `reshard`).
    const streamTableText = core.streamTableText?.bind(core);
    const streamSegmentsText = core.streamSegmentsText?.bind(core);
    const repair = core.repair?.bind(core);
    const openLoader = core.openLoader?.bind(core);
    const digestTable = core.digestTable?.bind(core);
    const reshard = core.reshard?.bind(core);
    if (streamTableText) {
      this.streamTableText = (table, options = {}) => {
        const text = streamTableText(table, options);
        return text ? this.guardStream(text) : null;
      };
    }
    if (streamSegmentsText) this.streamSegmentsText = (fileIds, options = {}) => this.guardStream(streamSegmentsText(fileIds, options));
    if (repair) this.repair = () => this.guard(repair);
    if (openLoader) this.openLoader = () => this.guard(openLoader);
    if (digestTable) this.digestTable = (table, scheme) => this.guard(() => digestTable(table, scheme));
    if (reshard) this.reshard = (target, options = {}) => this.guard(() => reshard(target, options));
  }

  get capabilities(): StoreCapabilities {
    return this.core.capabilities;
  }

  get location(): string {
    return this.core.location;
  }

  get shardCount(): number | undefined {
    return this.core.shardCount;
  }

  /** Every call into the core: refused once closed, driver errors in the one error shape. */
  protected async guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.location} is closed.`);
    try {
      return await work();
    } catch (error) {
      throw this.core.mapError(error);
    }
  }

  /** A stream's every step through `guard`, from its first (streams start when first read). */
  private async *guardStream<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.location} is closed.`);
    try {
      yield* source;
    } catch (error) {
      throw this.core.mapError(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.core.close();
  }

  // ---- collections -------------------------------------------------------------------

  async createCollection(input: CreateCollectionInput): Promise<Collection> {
    const name = checkCollectionName(input?.name);
    if (input.source !== 'local' && input.source !== 'nzb') {
      throw invalidArgument(`A collection's source is local or nzb; got ${JSON.stringify(input.source)}.`);
    }
    const rootPath = input.rootPath ?? null;
    if (rootPath !== null && typeof rootPath !== 'string') throw invalidArgument('The root path must be text.');
    return this.guard(() => this.core.createCollection({ name, rootPath, source: input.source }));
  }

  async listCollections(): Promise<Collection[]> {
    return this.guard(() => this.core.listCollections());
  }

  async getCollection(id: number): Promise<Collection> {
    checkId(id, 'The collection id');
    return this.guard(() => this.core.getCollection(id));
  }

  async findCollectionByName(name: string): Promise<Collection | null> {
    const clean = checkCollectionName(name);
    return this.guard(() => this.core.findCollectionByName(clean));
  }

  async renameCollection(id: number, name: string): Promise<Collection> {
    checkId(id, 'The collection id');
    const clean = checkCollectionName(name);
    return this.guard(() => this.core.renameCollection(id, clean));
  }

  async deleteCollection(id: number): Promise<void> {
    checkId(id, 'The collection id');
    return this.guard(() => this.core.deleteCollection(id));
  }

  // ---- ingest ------------------------------------------------------------------------

  async ingest(collectionId: number, batches: AsyncIterable<AnyIngestBatch> | Iterable<AnyIngestBatch>, options: IngestOptions = {}): Promise<IngestResult> {
    checkId(collectionId, 'The collection id');
    const onExisting = checkOnExisting(options.onExisting);
    const session = await this.guard(() => this.core.startIngest(collectionId, onExisting));
    return ingestBatches(session, batches, options, (work) => this.guard(work));
  }

  async appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    checkId(fileId, 'The file id');
    return this.guard(() => this.core.appendSegments(fileId, part));
  }

  // ---- browse ------------------------------------------------------------------------

  async resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null> {
    checkId(collectionId, 'The collection id');
    if (typeof relPath !== 'string') throw invalidArgument('A path must be text.');
    const clean = relPath.replace(/^\/+|\/+$/gu, '');
    return this.guard(() => this.core.resolvePath(collectionId, clean));
  }

  async listFolders(query: ListFoldersQuery): Promise<Page<Folder>> {
    const collectionId = checkId(query?.collectionId, 'The collection id');
    const limit = checkLimit(query.limit);
    const parentId = query.parentId == null ? null : checkId(query.parentId, 'The parent folder id');
    return this.guard(() => this.core.listFolders({ collectionId, parentId, limit, cursor: query.cursor ? query.cursor : null }));
  }

  async listFiles(query: ListFilesQuery): Promise<Page<FileEntry>> {
    const collectionId = checkId(query?.collectionId, 'The collection id');
    const folderId = query.folderId == null ? null : checkId(query.folderId, 'The folder id');
    const state = checkFileState(query.state);
    const sort = checkSort(query.sort);
    const direction = checkDirection(query.direction);
    const limit = checkLimit(query.limit);
    const offset = checkListOffset(query.offset, query.cursor);
    const cursor = query.cursor ? query.cursor : null;
    return this.guard(() => this.core.listFiles({ collectionId, folderId, state, sort, direction, limit, offset, cursor }));
  }

  async getFile(fileId: number): Promise<FileDetail> {
    checkId(fileId, 'The file id');
    return this.guard(() => this.core.getFile(fileId));
  }

  async findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    checkId(collectionId, 'The collection id');
    if (typeof name !== 'string' || name === '') throw invalidArgument('A file name must be non-empty text.');
    return this.guard(() => this.core.findFilesByName(collectionId, name));
  }

  async getSegments(query: SegmentsQuery): Promise<Segment[]> {
    const fileId = checkId(query?.fileId, 'The file id');
    const limit = checkLimit(query.limit, LIMITS.segmentsPage, LIMITS.segmentsPage);
    const afterNumber = query.afterNumber ?? 0;
    if (!Number.isSafeInteger(afterNumber) || afterNumber < 0) throw invalidArgument('afterNumber must be a whole number from 0.');
    return this.guard(() => this.core.getSegments({ fileId, afterNumber, limit }));
  }

  async updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    const checked = checkSegmentUpdates(updates);
    return this.guard(() => this.core.updateSegments(checked));
  }

  async updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number> {
    const checked = checkMtimeUpdates(updates);
    return this.guard(() => this.core.updateFileMtimes(checked));
  }

  async getNzbSource(collectionId: number, key: NzbSourceKey): Promise<NzbSource | null> {
    checkId(collectionId, 'The collection id');
    const lookup = checkSourceKey(key);
    return this.guard(() => this.core.getNzbSource(collectionId, lookup));
  }

  async finishNzbSource(sourceId: number, final: { dupeKey: string }): Promise<NzbSource> {
    checkId(sourceId, 'The NZB source id');
    if (typeof final?.dupeKey !== 'string' || final.dupeKey === '') throw invalidArgument('A dupe key must be non-empty text.');
    return this.guard(() => this.core.finishNzbSource(sourceId, final.dupeKey));
  }

  async deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }> {
    const ids = checkFileIds(fileIds);
    return this.guard(() => this.core.deleteFiles(ids));
  }

  async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    checkId(sourceId, 'The NZB source id');
    const removed = await this.guard(() => this.core.removeNzbSource(sourceId));
    if (!removed) throw noNzbSource(sourceId);
    return removed;
  }

  // ---- search ------------------------------------------------------------------------

  async search(query: SearchQuery): Promise<SearchPage> {
    const tree = parseSearchQuery(query?.query);
    const limit = checkLimit(query.limit, LIMITS.defaultSearchPage, LIMITS.searchPage);
    const offset = checkOffset(query.offset);
    const collectionId = query.collectionId == null ? null : checkId(query.collectionId, 'The collection id');
    const state = checkFileState(query.state);
    return this.guard(() => this.core.search({ tree, collectionId, state, limit, offset }));
  }

  // ---- maintenance -------------------------------------------------------------------

  async stats(options: { detailed?: boolean } = {}): Promise<StoreStats> {
    return this.guard(() => this.core.stats(options.detailed === true));
  }

  streamTable(table: TableName, options: StreamTableOptions = {}): AsyncIterable<TableBatch> {
    return this.guardStream(this.core.streamTable(table, options));
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    return this.guard(() => this.core.checkIntegrity());
  }

  async backup(destination: string, options: { onProgress?: (p: BackupProgress) => void } = {}): Promise<BackupResult> {
    if (typeof destination !== 'string' || destination === '') throw invalidArgument(`A backup needs a destination ${this.core.backupLayout}.`);
    return this.guard(() => this.core.backup(destination, options.onProgress));
  }
}
