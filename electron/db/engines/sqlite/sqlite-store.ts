/**
 * Tier 1: the whole catalog in one SQLite file through better-sqlite3.
 *
 * better-sqlite3 is synchronous; the API is async so every tier looks the same to callers,
 * and long operations (ingest, delete, backup) return to the event loop between their
 * transactions so the database process keeps answering while they run.
 */
import { LIMITS } from '../../../../shared/limits';
import { randomUUID } from 'node:crypto';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../../../../shared/domain';
import { StrataError, invalidArgument, notFound } from '../../../../shared/errors';
import { parseSearchQuery } from '../../../../shared/search-query';
import { deriveFileState, fileStateCode } from '../../state-codes';
import { planSegmentUpdates, type CurrentSegment, type SegmentUpdatePlan } from '../../segment-update-plan';
import { decodeCursor, encodeCursor } from '../../keyset';
import type {
  BackupProgress,
  BackupResult,
  CatalogStore,
  StoreCapabilities,
  CreateCollectionInput,
  AppendResult,
  IngestBatch,
  SegmentAppend,
  IngestOptions,
  IngestResult,
  OnExisting,
  IntegrityReport,
  RepairReport,
  ListFilesQuery,
  ListFoldersQuery,
  NzbSourceKey,
  ResolvedPath,
  SearchQuery,
  SegmentUpdate,
  SegmentsQuery,
  StoreStats,
  StreamTableOptions,
  TableBatch,
  TableLoader,
  TableName,
  TextBatch,
  UpdateSegmentsResult,
} from '../../store';
import { TEXT_TABLES } from '../../migration/rows/row-text';
import { streamSqliteTableText } from './sqlite-table-text';
import {
  checkCollectionName,
  checkDirection,
  checkFileIds,
  checkFileState,
  checkId,
  checkLimit,
  checkListOffset,
  checkOffset,
  checkSegmentState,
  checkSort,
} from '../../validate';
import { toFts5 } from './fts-query';
import { DEFAULT_TUNING, openCatalogDatabase, openCatalogReadOnly, type SqliteDatabase, type SqliteTuning } from './open-database';
import { backupDatabase, checkCatalogIntegrity, measureStats, streamSqliteTable } from './sqlite-maintenance';
import { digestSqliteFiles, writeManifestTable } from '../../backup/backup-manifest';
import { repairCatalogFile } from './sqlite-repair';
import { mapSqliteError } from './sqlite-errors';
import { SqliteIngestWriter, type BatchOutcome } from './sqlite-ingest';
import { SqliteTableLoader } from './sqlite-table-loader';
import { FILE_SORT_KEYS, listFilesSql } from './sqlite-list-files';
import { SQLITE_CAPABILITIES } from './sqlite-capabilities';
import {
  COLLECTION_COLUMNS,
  FILE_COLUMNS,
  FOLDER_COLUMNS,
  toCollection,
  toFileDetail,
  toFileEntry,
  toFolder,
  toNzbSource,
  toSegment,
  NZB_SOURCE_COLUMNS,
  type CollectionRow,
  type FileRow,
  type FolderRow,
  type NzbSourceRow,
  type SegmentRow,
} from './sqlite-rows';

/** Files removed per transaction when deleting a collection, so a delete never holds the lock for long. */
const DELETE_CHUNK_FILES = 2_000;
const MAX_SEGMENT_UPDATES = LIMITS.segmentUpdates;
const MAX_SEGMENTS_PAGE = LIMITS.segmentsPage;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface SqliteStoreOptions {
  tuning?: Partial<SqliteTuning>;
  /** The folder cannot be written: open with a query-only connection and change nothing at open. */
  readOnly?: boolean;
}

export class SqliteStore implements CatalogStore {
  readonly capabilities: StoreCapabilities = SQLITE_CAPABILITIES;
  protected closed = false;
  /** Opened query-only (a read-only folder): close must not try to checkpoint. */
  protected readOnly = false;
  private readonly activeWriters = new Set<SqliteIngestWriter>();

  protected constructor(
    protected readonly db: SqliteDatabase,
    readonly location: string,
    protected readonly schemaVersion: number,
  ) {}

  static async open(file: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    if (options.readOnly) {
      // The deletes a crash left pending stay pending: finishing them is a write.
      const opened = openCatalogReadOnly(file, tuning);
      const store = new SqliteStore(opened.db, file, opened.schemaVersion);
      store.readOnly = true;
      return store;
    }
    const opened = openCatalogDatabase(file, tuning);
    const store = new SqliteStore(opened.db, file, opened.schemaVersion);
    await store.finishPendingDeletes();
    return store;
  }

  /** Every entry point runs through here so driver errors come out in the one error shape. */
  protected run<T>(fn: () => T): T {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.location} is closed.`);
    try {
      return fn();
    } catch (error) {
      throw mapSqliteError(error, this.location);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.readOnly) {
      this.db.close();
      return;
    }
    try {
      // Folds the WAL back into the main file so a copied data folder is complete on its own.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // A checkpoint can fail on a full disk; the WAL still holds every commit and the next
      // open replays it, so closing must not fail because of it.
    } finally {
      this.db.close();
    }
  }

  // ---- collections -------------------------------------------------------------------

  async createCollection(input: CreateCollectionInput): Promise<Collection> {
    const name = checkCollectionName(input?.name);
    if (input.source !== 'local' && input.source !== 'nzb') {
      throw invalidArgument(`A collection's source is local or nzb; got ${JSON.stringify(input.source)}.`);
    }
    const rootPath = input.rootPath ?? null;
    if (rootPath !== null && typeof rootPath !== 'string') throw invalidArgument('The root path must be text.');
    return this.run(() =>
      this.db
        .transaction(() => {
          if (this.findCollectionRow(name)) {
            throw new StrataError('conflict', `A collection named "${name}" already exists; choose another name.`, { name });
          }
          const id = Number(
            this.db
              .prepare('INSERT INTO collections (uid, name, root_path, source, created_at) VALUES (?, ?, ?, ?, ?)')
              .run(randomUUID(), name, rootPath, input.source, Date.now()).lastInsertRowid,
          );
          this.db.prepare("INSERT INTO folders (collection_id, parent_id, name) VALUES (?, NULL, '')").run(id);
          return this.collectionRow(id);
        })
        .immediate(),
    );
  }

  async listCollections(): Promise<Collection[]> {
    return this.run(() =>
      (
        this.db
          .prepare(`SELECT ${COLLECTION_COLUMNS} FROM collections WHERE deleting = 0 ORDER BY name COLLATE NOCASE, id`)
          .all() as CollectionRow[]
      ).map(toCollection),
    );
  }

  async getCollection(id: number): Promise<Collection> {
    checkId(id, 'The collection id');
    return this.run(() => this.collectionRow(id));
  }

  async findCollectionByName(name: string): Promise<Collection | null> {
    const clean = checkCollectionName(name);
    return this.run(() => {
      const row = this.findCollectionRow(clean);
      return row ? toCollection(row) : null;
    });
  }

  async renameCollection(id: number, name: string): Promise<Collection> {
    checkId(id, 'The collection id');
    const clean = checkCollectionName(name);
    return this.run(() =>
      this.db
        .transaction(() => {
          this.collectionRow(id);
          const other = this.findCollectionRow(clean);
          if (other && other.id !== id) {
            throw new StrataError('conflict', `A collection named "${clean}" already exists; choose another name.`, {
              name: clean,
            });
          }
          this.db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(clean, id);
          return this.collectionRow(id);
        })
        .immediate(),
    );
  }

  async deleteCollection(id: number): Promise<void> {
    checkId(id, 'The collection id');
    this.run(() => {
      this.collectionRow(id);
      this.db.prepare('UPDATE collections SET deleting = 1 WHERE id = ?').run(id);
    });
    await this.purgeCollection(id);
  }

  private findCollectionRow(name: string): CollectionRow | undefined {
    return this.db
      .prepare(`SELECT ${COLLECTION_COLUMNS} FROM collections WHERE name = ? COLLATE NOCASE AND deleting = 0`)
      .get(name) as CollectionRow | undefined;
  }

  protected collectionRow(id: number): Collection {
    const row = this.db
      .prepare(`SELECT ${COLLECTION_COLUMNS} FROM collections WHERE id = ? AND deleting = 0`)
      .get(id) as CollectionRow | undefined;
    if (!row) throw notFound(`There is no collection with id ${id}.`, { collectionId: id });
    return toCollection(row);
  }

  /** Work a crash interrupted: collection deletes, and NZB imports that never finished. */
  protected async finishPendingDeletes(): Promise<void> {
    const pending = this.run(
      () => this.db.prepare('SELECT id FROM collections WHERE deleting = 1').all() as { id: number }[],
    );
    for (const { id } of pending) await this.purgeCollection(id);
    const imports = this.run(() => this.db.prepare('SELECT id FROM nzb_sources WHERE complete = 0').all() as { id: number }[]);
    for (const { id } of imports) await this.purgeNzbSource(id);
  }

  /**
   * Deletes files chosen by `select` (a query taking the owner id and a LIMIT) in transactions
   * of DELETE_CHUNK_FILES, returning to the event loop between them so a large delete never
   * holds the write lock or the process for long.
   */
  private async deleteFilesInChunks<Row extends { id: number }>(
    select: string,
    ownerId: number,
    remove: (row: Row) => void,
  ): Promise<void> {
    const next = this.db.prepare(select);
    for (;;) {
      const done = this.run(() =>
        this.db
          .transaction(() => {
            const rows = next.all(ownerId, DELETE_CHUNK_FILES) as Row[];
            for (const row of rows) remove(row);
            return rows.length < DELETE_CHUNK_FILES;
          })
          .immediate(),
      );
      if (done) return;
      await yieldToEventLoop();
    }
  }

  /** Removes a collection marked `deleting` in bounded transactions; safe to resume after a crash. */
  private async purgeCollection(id: number): Promise<void> {
    // Counters are not adjusted: the collection row goes with its files.
    await this.deleteFilesInChunks<{ id: number }>('SELECT id FROM files WHERE collection_id = ? LIMIT ?', id, (r) =>
      this.deleteFileRows(r.id),
    );
    this.run(() =>
      this.db
        .transaction(() => {
          // One statement for the whole tree: SQLite checks immediate foreign keys (parent_id)
          // at the end of the statement, when no child is left pointing at a deleted parent.
          this.db.prepare('DELETE FROM folders WHERE collection_id = ?').run(id);
          this.db.prepare('DELETE FROM nzb_sources WHERE collection_id = ?').run(id);
          this.db.prepare('DELETE FROM collections WHERE id = ?').run(id);
        })
        .immediate(),
    );
  }

  /** Deletes one file's rows, without touching counters (the caller adjusts or discards them). */
  protected deleteFileRows(fileId: number): void {
    this.forgetSegments(fileId);
    this.db.prepare('DELETE FROM file_groups WHERE file_id = ?').run(fileId);
    this.db.prepare('DELETE FROM files_fts WHERE rowid = ?').run(fileId);
    this.db.prepare('DELETE FROM files WHERE id = ?').run(fileId);
  }

  /** Drops a removed file's segments (the sharded tier defers this to the file's shard). */
  protected forgetSegments(fileId: number): void {
    this.db.prepare('DELETE FROM segments WHERE file_id = ?').run(fileId);
  }

  /** Removes a file and takes it out of every counter; used when ingest replaces a file. */
  protected removeFile(fileId: number): void {
    const f = this.db
      .prepare('SELECT collection_id, folder_id, size, segment_count, bytes, uploaded_count, missing_count FROM files WHERE id = ?')
      .get(fileId) as
      | { collection_id: number; folder_id: number; size: number; segment_count: number; bytes: number; uploaded_count: number; missing_count: number }
      | undefined;
    if (!f) return;
    this.deleteFileRows(fileId);
    this.db.prepare('UPDATE folders SET file_count = file_count - 1, bytes = bytes - ? WHERE id = ?').run(f.size, f.folder_id);
    this.db
      .prepare(
        `UPDATE collections SET file_count = file_count - 1, segment_count = segment_count - ?, bytes = bytes - ?,
           uploaded_segments = uploaded_segments - ?, missing_segments = missing_segments - ? WHERE id = ?`,
      )
      .run(f.segment_count, f.bytes, f.uploaded_count, f.missing_count, f.collection_id);
  }

  // ---- ingest ------------------------------------------------------------------------

  async ingest(
    collectionId: number,
    batches: AsyncIterable<IngestBatch> | Iterable<IngestBatch>,
    options: IngestOptions = {},
  ): Promise<IngestResult> {
    checkId(collectionId, 'The collection id');
    const onExisting = options.onExisting ?? 'error';
    if (onExisting !== 'error' && onExisting !== 'skip' && onExisting !== 'replace') {
      throw invalidArgument(`onExisting is error, skip or replace; got ${JSON.stringify(onExisting)}.`);
    }
    const writer = this.run(() => this.createIngestWriter(collectionId, onExisting));
    this.run(() => this.collectionRow(collectionId));
    const started = performance.now();
    const progress: IngestResult = {
      batches: 0,
      files: 0,
      segments: 0,
      bytes: 0,
      skippedFiles: 0,
      replacedFiles: 0,
      elapsedMs: 0,
      sourceIds: {},
    };
    this.activeWriters.add(writer);
    try {
      for await (const batch of batches) {
        if (options.signal?.aborted) throw cancelled(progress);
        const outcome = await this.writeIngestBatch(writer, batch);
        progress.batches++;
        progress.files += outcome.files;
        progress.segments += outcome.segments;
        progress.bytes += outcome.bytes;
        progress.skippedFiles += outcome.skippedFiles;
        progress.replacedFiles += outcome.replacedFiles;
        progress.elapsedMs = performance.now() - started;
        progress.sourceIds = writer.knownSources();
        options.onProgress?.({ ...progress });
        // A synchronous batch source would otherwise hold the event loop for the whole ingest:
        // reads, cancels and progress messages of the process get their turn between batches.
        await yieldToEventLoop();
      }
    } finally {
      this.activeWriters.delete(writer);
    }
    progress.elapsedMs = performance.now() - started;
    return progress;
  }

  protected createIngestWriter(collectionId: number, onExisting: OnExisting): SqliteIngestWriter {
    return new SqliteIngestWriter(this.db, collectionId, onExisting, (fileId) => this.removeFile(fileId));
  }

  /** One batch in one transaction: files, segments, search rows and counters commit together. */
  protected writeIngestBatch(writer: SqliteIngestWriter, batch: IngestBatch): Promise<BatchOutcome> {
    return this.writeWith(writer, () => writer.writeBatch(batch));
  }

  /** Runs one write of `writer` in one transaction (the sharded tier adds its shard epoch). */
  protected async writeWith<T>(writer: SqliteIngestWriter, write: () => T): Promise<T> {
    try {
      return this.run(() => this.db.transaction(write).immediate());
    } catch (error) {
      writer.forgetUncommitted();
      throw error;
    }
  }

  async appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    checkId(fileId, 'The file id');
    // A file's collection never changes; the row itself is read again inside the transaction.
    const owner = this.run(() => this.db.prepare('SELECT collection_id FROM files WHERE id = ?').get(fileId) as { collection_id: number } | undefined);
    if (!owner) throw notFound(`There is no file with id ${fileId}.`, { fileId });
    const writer = this.run(() => this.createIngestWriter(owner.collection_id, 'error'));
    return this.writeWith(writer, () => writer.appendToFile(fileId, part, (id) => this.highestSegmentNumber(id)));
  }

  /** The highest segment number of a file, read where its segments live. */
  protected highestSegmentNumber(fileId: number): number {
    const row = this.db.prepare('SELECT max(number) AS n FROM segments WHERE file_id = ?').get(fileId) as { n: number | null };
    return row.n ?? 0;
  }

  // ---- browse ------------------------------------------------------------------------

  async resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null> {
    checkId(collectionId, 'The collection id');
    if (typeof relPath !== 'string') throw invalidArgument('A path must be text.');
    const clean = relPath.replace(/^\/+|\/+$/gu, '');
    return this.run(() => {
      this.collectionRow(collectionId);
      if (clean !== '') {
        const file = this.db
          .prepare(`SELECT ${FILE_COLUMNS} FROM files f WHERE f.collection_id = ? AND f.rel_path = ?`)
          .get(collectionId, clean) as FileRow | undefined;
        if (file) return { kind: 'file', file: toFileEntry(file) };
      }
      let folder = this.db
        .prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE collection_id = ? AND parent_id IS NULL`)
        .get(collectionId) as FolderRow;
      const child = this.db.prepare(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE parent_id = ? AND name = ? COLLATE BINARY`);
      for (const part of clean === '' ? [] : clean.split('/')) {
        const next = child.get(folder.id, part) as FolderRow | undefined;
        if (!next) return null;
        folder = next;
      }
      return { kind: 'folder', folder: toFolder(folder) };
    });
  }

  async listFolders(query: ListFoldersQuery): Promise<Page<Folder>> {
    const collectionId = checkId(query?.collectionId, 'The collection id');
    const limit = checkLimit(query.limit);
    return this.run(() => {
      this.collectionRow(collectionId);
      let parentId: number;
      if (query.parentId == null) {
        parentId = (this.db.prepare('SELECT id FROM folders WHERE collection_id = ? AND parent_id IS NULL').get(collectionId) as { id: number }).id;
      } else {
        parentId = checkId(query.parentId, 'The parent folder id');
        const parent = this.db.prepare('SELECT collection_id FROM folders WHERE id = ?').get(parentId) as
          | { collection_id: number }
          | undefined;
        if (!parent || parent.collection_id !== collectionId) {
          throw notFound(`Folder ${parentId} is not in collection ${collectionId}.`, { folderId: parentId });
        }
      }
      const tag = `folders:${parentId}`;
      const after = query.cursor ? decodeCursor(tag, query.cursor, 2) : null;
      const rows = this.db
        .prepare(
          `SELECT ${FOLDER_COLUMNS} FROM folders WHERE parent_id = ? ${after ? 'AND (name, id) > (?, ?)' : ''} ORDER BY name, id LIMIT ?`,
        )
        .all(...(after ? [parentId, ...after, limit + 1] : [parentId, limit + 1])) as FolderRow[];
      const items = rows.slice(0, limit).map(toFolder);
      const last = rows.length > limit ? items[items.length - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(tag, [last.name, last.id]) : null };
    });
  }

  async listFiles(query: ListFilesQuery): Promise<Page<FileEntry>> {
    const collectionId = checkId(query?.collectionId, 'The collection id');
    const folderId = query.folderId == null ? null : checkId(query.folderId, 'The folder id');
    const state = checkFileState(query.state);
    const sort = checkSort(query.sort);
    const direction = checkDirection(query.direction);
    const limit = checkLimit(query.limit);
    const offset = checkListOffset(query.offset, query.cursor);
    const keys = FILE_SORT_KEYS[sort];
    return this.run(() => {
      this.collectionRow(collectionId);
      if (folderId !== null) {
        const folder = this.db.prepare('SELECT collection_id FROM folders WHERE id = ?').get(folderId) as
          | { collection_id: number }
          | undefined;
        if (!folder || folder.collection_id !== collectionId) {
          throw notFound(`Folder ${folderId} is not in collection ${collectionId}.`, { folderId });
        }
      }
      const tag = `files:${collectionId}:${folderId ?? '*'}:${state ?? '*'}:${sort}:${direction}`;
      const after = query.cursor ? decodeCursor(tag, query.cursor, keys.columns.length) : null;
      const params: (string | number)[] = [folderId ?? collectionId];
      if (state !== null) params.push(fileStateCode(state));
      // A seek's subquery names the same scope again, then the position (row 0 needs none).
      const withSeek = offset > 0;
      if (withSeek) params.push(...params, offset);
      if (after) params.push(...after);
      const sql = listFilesSql({ byFolder: folderId !== null, withState: state !== null, withCursor: after !== null, withSeek, sort, direction });
      const rows = this.db.prepare(sql).all(...params, limit + 1) as FileRow[];
      const page = rows.slice(0, limit);
      const last = rows.length > limit ? page[page.length - 1] : undefined;
      return { items: page.map(toFileEntry), nextCursor: last ? encodeCursor(tag, keys.values(last)) : null };
    });
  }

  async getFile(fileId: number): Promise<FileDetail> {
    checkId(fileId, 'The file id');
    return this.run(() => {
      const row = this.db
        .prepare(
          `SELECT ${FILE_COLUMNS}, f.metadata FROM files f JOIN collections c ON c.id = f.collection_id AND c.deleting = 0 WHERE f.id = ?`,
        )
        .get(fileId) as (FileRow & { metadata: string | null }) | undefined;
      if (!row) throw notFound(`There is no file with id ${fileId}.`, { fileId });
      const groups = (
        this.db
          .prepare('SELECT g.name FROM file_groups fg JOIN groups g ON g.id = fg.group_id WHERE fg.file_id = ? ORDER BY g.name')
          .all(fileId) as { name: string }[]
      ).map((g) => g.name);
      return toFileDetail(row, groups);
    });
  }

  async findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    checkId(collectionId, 'The collection id');
    if (typeof name !== 'string' || name === '') throw invalidArgument('A file name must be non-empty text.');
    return this.run(() =>
      (
        this.db
          // The NOCASE index finds the candidates; BINARY keeps only the exact name.
          .prepare(`SELECT ${FILE_COLUMNS} FROM files f WHERE f.collection_id = ? AND f.name = ? AND f.name = ? COLLATE BINARY ORDER BY f.id LIMIT 1000`)
          .all(collectionId, name, name) as FileRow[]
      ).map(toFileEntry),
    );
  }

  async getSegments(query: SegmentsQuery): Promise<Segment[]> {
    const fileId = checkId(query?.fileId, 'The file id');
    const limit = checkLimit(query.limit, MAX_SEGMENTS_PAGE, MAX_SEGMENTS_PAGE);
    const after = query.afterNumber ?? 0;
    if (!Number.isSafeInteger(after) || after < 0) throw invalidArgument('afterNumber must be a whole number from 0.');
    return this.run(() => {
      const rows = this.readSegments(fileId, after, limit);
      if (rows.length === 0 && after === 0) {
        const exists = this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId);
        if (!exists) throw notFound(`There is no file with id ${fileId}.`, { fileId });
      }
      return rows.map(toSegment);
    });
  }

  protected readSegments(fileId: number, after: number, limit: number): SegmentRow[] {
    return this.db
      .prepare(
        'SELECT file_id, number, bytes, state, hash, message_id, uploaded_at FROM segments WHERE file_id = ? AND number > ? ORDER BY number LIMIT ?',
      )
      .all(fileId, after, limit) as SegmentRow[];
  }

  async updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    if (!Array.isArray(updates)) throw invalidArgument('Segment updates must be a list.');
    if (updates.length > MAX_SEGMENT_UPDATES) {
      throw invalidArgument(`Update at most ${MAX_SEGMENT_UPDATES} segments per call; split the list.`);
    }
    for (const u of updates) {
      checkId(u?.fileId, 'A segment update file id');
      checkId(u.number, 'A segment update number');
      if (u.state !== undefined) checkSegmentState(u.state);
      if (u.messageId !== undefined && u.messageId !== null && (typeof u.messageId !== 'string' || u.messageId === '')) {
        throw invalidArgument('A message-id must be non-empty text or null.');
      }
    }
    return this.applySegmentUpdates(updates);
  }

  /** Applies validated updates: segment rows and the counters they move, in one transaction. */
  protected async applySegmentUpdates(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    return this.run(() =>
      this.db
        .transaction(() => {
          const find = this.db.prepare('SELECT state, message_id, uploaded_at FROM segments WHERE file_id = ? AND number = ?');
          const plan = planSegmentUpdates(updates, (fileId, number) => find.get(fileId, number) as CurrentSegment | undefined);
          const update = this.db.prepare('UPDATE segments SET state = ?, message_id = ?, uploaded_at = ? WHERE file_id = ? AND number = ?');
          for (const [fileId, number, state, messageId, uploadedAt] of plan.rows) update.run(state, messageId, uploadedAt, fileId, number);
          this.moveSegmentCounters(plan.deltas);
          return { updated: plan.updated, notFound: plan.notFound };
        })
        .immediate(),
    );
  }

  /** Moves file and collection counters by per-file deltas; runs inside the caller's transaction. */
  protected moveSegmentCounters(deltas: SegmentUpdatePlan['deltas']): void {
    const readFile = this.db.prepare('SELECT collection_id, segment_count, uploaded_count, missing_count FROM files WHERE id = ?');
    const writeFile = this.db.prepare('UPDATE files SET uploaded_count = ?, missing_count = ?, state = ? WHERE id = ?');
    const bumpCollection = this.db.prepare(
      'UPDATE collections SET uploaded_segments = uploaded_segments + ?, missing_segments = missing_segments + ? WHERE id = ?',
    );
    for (const [fileId, d] of deltas) {
      const f = readFile.get(fileId) as
        | { collection_id: number; segment_count: number; uploaded_count: number; missing_count: number }
        | undefined;
      if (!f) continue;
      const uploadedCount = f.uploaded_count + d.uploaded;
      const missingCount = f.missing_count + d.missing;
      const state = deriveFileState({ segmentCount: f.segment_count, uploadedCount, missingCount });
      writeFile.run(uploadedCount, missingCount, state, fileId);
      bumpCollection.run(d.uploaded, d.missing, f.collection_id);
    }
  }

  async updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number> {
    if (!Array.isArray(updates)) throw invalidArgument('File time updates must be a list.');
    for (const u of updates) {
      checkId(u?.fileId, 'A file id');
      if (typeof u.mtime !== 'number' || !Number.isSafeInteger(u.mtime)) throw invalidArgument('A modification time must be whole milliseconds.');
    }
    return this.run(() =>
      this.db
        .transaction(() => {
          const update = this.db.prepare('UPDATE files SET mtime = ?, sort_date = ? WHERE id = ?');
          let changed = 0;
          for (const u of updates) changed += update.run(u.mtime, u.mtime, u.fileId).changes;
          return changed;
        })
        .immediate(),
    );
  }

  async getNzbSource(collectionId: number, key: NzbSourceKey): Promise<NzbSource | null> {
    checkId(collectionId, 'The collection id');
    const k = (key ?? {}) as Partial<Record<'id' | 'dupeKey' | 'contentHash', unknown>>;
    const [column, value] =
      k.id !== undefined ? ['id', checkId(k.id, 'The NZB source id')] : k.dupeKey !== undefined ? ['dupe_key', k.dupeKey] : ['content_hash', k.contentHash];
    if ((typeof value !== 'string' || value === '') && typeof value !== 'number') {
      throw invalidArgument('Look an NZB source up by its id, a non-empty dupeKey or a contentHash.');
    }
    return this.run(() => {
      const row = this.db
        .prepare(`SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE collection_id = ? AND ${column} = ? AND complete = 1`)
        .get(collectionId, value) as NzbSourceRow | undefined;
      return row ? toNzbSource(row) : null;
    });
  }

  async finishNzbSource(sourceId: number, final: { dupeKey: string }): Promise<NzbSource> {
    checkId(sourceId, 'The NZB source id');
    if (typeof final?.dupeKey !== 'string' || final.dupeKey === '') throw invalidArgument('A dupe key must be non-empty text.');
    return this.run(() =>
      this.db
        .transaction(() => {
          const row = this.db.prepare(`SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE id = ?`).get(sourceId) as NzbSourceRow | undefined;
          if (!row) throw notFound(`There is no NZB source with id ${sourceId}.`, { sourceId });
          const existing = this.db
            .prepare('SELECT id FROM nzb_sources WHERE collection_id = ? AND dupe_key = ? AND id != ?')
            .get(row.collection_id, final.dupeKey, sourceId) as { id: number } | undefined;
          if (existing) {
            throw new StrataError('conflict', `This NZB (${row.file_name}) is already in the collection.`, {
              existingId: existing.id,
              dupeKey: final.dupeKey,
            });
          }
          this.db.prepare('UPDATE nzb_sources SET dupe_key = ?, complete = 1 WHERE id = ?').run(final.dupeKey, sourceId);
          return toNzbSource({ ...row, dupe_key: final.dupeKey, complete: 1 });
        })
        .immediate(),
    );
  }

  async deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }> {
    const ids = checkFileIds(fileIds);
    return this.run(() =>
      this.db
        .transaction(() => {
          const read = this.db.prepare('SELECT segment_count, nzb_source_id FROM files WHERE id = ?');
          const sources = new Set<number>();
          let files = 0;
          let segments = 0;
          for (const id of ids) {
            const f = read.get(id) as { segment_count: number; nzb_source_id: number | null } | undefined;
            if (!f) continue;
            this.removeFile(id);
            files++;
            segments += f.segment_count;
            if (f.nzb_source_id !== null) sources.add(f.nzb_source_id);
          }
          const left = this.db.prepare('SELECT 1 FROM files WHERE nzb_source_id = ? LIMIT 1');
          const drop = this.db.prepare('DELETE FROM nzb_sources WHERE id = ? AND complete = 1');
          for (const source of sources) if (!left.get(source)) drop.run(source);
          return { files, segments };
        })
        .immediate(),
    );
  }

  async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    checkId(sourceId, 'The NZB source id');
    const exists = this.run(() => this.db.prepare('SELECT 1 FROM nzb_sources WHERE id = ?').get(sourceId));
    if (!exists) throw notFound(`There is no NZB source with id ${sourceId}.`, { sourceId });
    return this.purgeNzbSource(sourceId);
  }

  /** Removes a source's files in bounded transactions, counters included, then the source. */
  private async purgeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    let files = 0;
    let segments = 0;
    const folders = new Set<number>();
    await this.deleteFilesInChunks<{ id: number; folder_id: number; segment_count: number }>(
      'SELECT id, folder_id, segment_count FROM files WHERE nzb_source_id = ? LIMIT ?',
      sourceId,
      (r) => {
        this.removeFile(r.id);
        folders.add(r.folder_id);
        files++;
        segments += r.segment_count;
      },
    );
    this.run(() =>
      this.db
        .transaction(() => {
          this.pruneEmptyFolders(folders);
          this.db.prepare('DELETE FROM nzb_sources WHERE id = ?').run(sourceId);
        })
        .immediate(),
    );
    return { files, segments };
  }

  /** Deletes the given folders, and then their parents, while they hold nothing. */
  private pruneEmptyFolders(start: Iterable<number>): void {
    const read = this.db.prepare('SELECT collection_id, parent_id, file_count, folder_count FROM folders WHERE id = ?');
    const drop = this.db.prepare('DELETE FROM folders WHERE id = ?');
    const unlink = this.db.prepare('UPDATE folders SET folder_count = folder_count - 1 WHERE id = ?');
    const uncount = this.db.prepare('UPDATE collections SET folder_count = folder_count - 1 WHERE id = ?');
    for (const first of start) {
      let id: number | null = first;
      while (id !== null) {
        const f = read.get(id) as { collection_id: number; parent_id: number | null; file_count: number; folder_count: number } | undefined;
        if (!f || f.parent_id === null || f.file_count > 0 || f.folder_count > 0) break;
        drop.run(id);
        unlink.run(f.parent_id);
        uncount.run(f.collection_id);
        id = f.parent_id;
      }
    }
  }

  // ---- search ------------------------------------------------------------------------

  async search(query: SearchQuery): Promise<SearchPage> {
    const tree = parseSearchQuery(query?.query);
    const limit = checkLimit(query.limit, 50, 500);
    const offset = checkOffset(query.offset);
    const collectionId = query.collectionId == null ? null : checkId(query.collectionId, 'The collection id');
    const state = checkFileState(query.state);
    const match = toFts5(tree);
    return this.run(() => {
      const params: (string | number)[] = [match];
      if (collectionId !== null) params.push(collectionId);
      if (state !== null) params.push(fileStateCode(state));
      // Column weights: a hit in the name counts most, then the subject, then the folder path.
      // The state is filtered here, not by the caller, so LIMIT/OFFSET page over matching files only.
      const rows = this.db
        .prepare(
          `SELECT ${FILE_COLUMNS}, bm25(files_fts, 10.0, 2.0, 4.0) AS score
             FROM files_fts JOIN files f ON f.id = files_fts.rowid
            WHERE files_fts MATCH ?
              ${collectionId === null ? '' : 'AND f.collection_id = ?'}
              ${state === null ? '' : 'AND f.state = ?'}
              AND f.collection_id NOT IN (SELECT id FROM collections WHERE deleting = 1)
            ORDER BY score, f.id
            LIMIT ? OFFSET ?`,
        )
        .all(...params, limit + 1, offset) as (FileRow & {
        score: number;
      })[];
      const hits = rows.slice(0, limit).map((r) => ({ file: toFileEntry(r), score: -r.score }));
      return { hits, nextOffset: rows.length > limit ? offset + limit : null };
    });
  }

  // ---- maintenance -------------------------------------------------------------------

  async stats(options: { detailed?: boolean } = {}): Promise<StoreStats> {
    return this.run(() => measureStats(this.db, this.location, this.schemaVersion, options.detailed === true));
  }

  streamTable(table: TableName, options: StreamTableOptions = {}): AsyncIterable<TableBatch> {
    return streamSqliteTable(table, options, (fn) => this.run(() => fn(this.db)));
  }

  streamTableText(table: TableName, options: StreamTableOptions = {}): AsyncIterable<TextBatch> | null {
    return TEXT_TABLES.has(table) ? streamSqliteTableText(table, options, (fn) => this.run(() => fn(this.db))) : null;
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    return this.run(() => checkCatalogIntegrity(this.db));
  }

  async openLoader(): Promise<TableLoader> {
    return this.run(() => new SqliteTableLoader(this.db));
  }

  async repair(): Promise<RepairReport> {
    return this.run(() => repairCatalogFile(this.db, this.location, { localSegments: true }));
  }

  async backup(destination: string, options: { onProgress?: (p: BackupProgress) => void } = {}): Promise<BackupResult> {
    if (typeof destination !== 'string' || destination === '') throw invalidArgument('A backup needs a destination file.');
    this.run(() => undefined);
    try {
      // The manifest is digested from the copy itself, so it describes exactly what the file holds.
      return await backupDatabase(this.db, destination, options.onProgress, async (copy) => writeManifestTable(copy, await digestSqliteFiles(copy)));
    } catch (error) {
      throw mapSqliteError(error, destination);
    }
  }
}

function cancelled(progress: IngestResult): StrataError {
  return new StrataError('cancelled', `Import cancelled after ${progress.files} files; everything before that was kept.`, {
    ...progress,
  });
}
