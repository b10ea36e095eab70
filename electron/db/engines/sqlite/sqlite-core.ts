/**
 * Tier 1's core: the whole catalog in one SQLite file through better-sqlite3, behind the
 * shared front (store-front/checked-store.ts), which checks every argument before it gets here.
 * The sharded tier reuses it for its catalog file, with its segments placed in shards
 * (`SegmentHome`).
 *
 * better-sqlite3 is synchronous; the API is async so every tier looks the same to callers,
 * and long operations (ingest, delete, backup) return to the event loop between their
 * transactions so the database process keeps answering while they run.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../../../../shared/domain';
import { StrataError } from '../../../../shared/errors';
import { deriveFileState, fileStateCode } from '../../state-codes';
import type { SegmentUpdatePlan } from '../../segment-update-plan';
import { decodeCursor, encodeCursor } from '../../keyset';
import type { AppendResult, BackupProgress, BackupResult, IntegrityReport, OnExisting, RepairReport, ResolvedPath, SegmentAppend, SegmentUpdate, SegmentsTextOptions, StoreCapabilities, StoreStats, StreamTableOptions, TableBatch, TableLoader, TableName, TextBatch, UpdateSegmentsResult } from '../../store';
import { collectionNameTaken, folderNotInCollection, noCollection, noFile, noNzbSource, nzbAlreadyThere } from '../../store-front/store-errors';
import type { EngineCore, FilePageQuery, FolderPageQuery, IngestSession, NewCollection, SearchPageQuery, SegmentPageQuery, SourceLookup } from '../../store-front/engine-core';
import { TEXT_TABLES } from '../../migration/rows/row-text';
import { streamSqliteTableText } from './sqlite-table-text';
import { streamSqliteSegmentsText } from './sqlite-segments-text';
import { searchFiles } from './sqlite-search';
import type { SqliteDatabase } from './open-database';
import { backupDatabase, checkCatalogIntegrity, measureStats, streamSqliteTable } from './sqlite-maintenance';
import { digestSqliteFiles, writeManifestTable } from '../../backup/backup-manifest';
import { repairCatalogFile } from './sqlite-repair';
import { mapSqliteError } from './sqlite-errors';
import { SqliteIngestWriter, type IngestWriterHooks } from './sqlite-ingest';
import { SqliteTableLoader } from './sqlite-table-loader';
import { FILE_SORT_KEYS, listFilesSql } from './sqlite-list-files';
import { SQLITE_CAPABILITIES } from './sqlite-capabilities';
import { COLLECTION_COLUMNS, FILE_COLUMNS, FOLDER_COLUMNS, NZB_SOURCE_COLUMNS, toCollection, toFileDetail, toFileEntry, toFolder, toNzbSource, toSegment } from './sqlite-rows';
import type { CollectionRow, FileRow, FolderRow, NzbSourceRow, SegmentRow } from './sqlite-rows';
import type { WriterThread } from './writer-thread';

/** Files removed per transaction when deleting a collection, so a delete never holds the lock for long. */
const DELETE_CHUNK_FILES = 2_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Where a catalog keeps its segment rows, and how the writes that touch them commit: in the
 * catalog file itself (tier 1, `LocalSegments`), or in shard files (sharded/sharded-segments.ts).
 */
export interface SegmentHome {
  /** Where the ingest writer sends segments and gets file ids; absent: the catalog's own tables. */
  readonly writerHooks?: IngestWriterHooks;
  /** Runs one write of `writer` in one transaction; forgets what it did not commit. */
  writeWith<T>(writer: SqliteIngestWriter, write: () => T): Promise<T>;
  /** Drops a removed file's segments (inside the caller's transaction). */
  forgetSegments(fileId: number): void;
  readSegments(fileId: number, after: number, limit: number): SegmentRow[];
  highestSegmentNumber(fileId: number): number;
  /** Applies checked updates: segment rows and the counters they move. */
  applySegmentUpdates(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult>;
}

export class SqliteCore implements EngineCore {
  readonly backupLayout = 'file';
  closed = false;
  private readonly home: SegmentHome;
  private writerThread: WriterThread | null = null;

  constructor(
    readonly db: SqliteDatabase,
    readonly location: string,
    readonly schemaVersion: number,
    /** Opened query-only (a read-only folder): close must not try to checkpoint. */
    readonly readOnly: boolean,
    /** Where segment rows live: the opener of each tier says (tier 1: LocalSegments). */
    home: (core: SqliteCore) => SegmentHome,
    readonly capabilities: StoreCapabilities = SQLITE_CAPABILITIES,
  ) {
    this.home = home(this);
  }

  mapError(error: unknown): unknown {
    return mapSqliteError(error, this.location);
  }

  /** Runs `fn` on the open catalog, its driver errors in the one error shape. */
  run<T>(fn: () => T): T {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.location} is closed.`);
    try {
      return fn();
    } catch (error) {
      throw mapSqliteError(error, this.location);
    }
  }

  /**
   * Hands imports' writes to a thread of their own (tier 1 on a writable file), so that reads
   * and small calls are answered while a batch is written. Before any ingest.
   */
  writeOnThread(thread: WriterThread): void {
    this.writerThread = thread;
  }

  /** Before a write on this thread: the writer thread's batch in hand, if any, is done first. */
  private async writersTurn(): Promise<void> {
    await this.writerThread?.quiet();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writerThread?.close();
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

  async createCollection({ name, rootPath, source }: NewCollection): Promise<Collection> {
    await this.writersTurn();
    return this.run(() =>
      this.db
        .transaction(() => {
          if (this.findCollectionRow(name)) {
            throw collectionNameTaken(name);
          }
          const id = Number(
            this.db
              .prepare('INSERT INTO collections (uid, name, root_path, source, created_at) VALUES (?, ?, ?, ?, ?)')
              .run(randomUUID(), name, rootPath, source, Date.now()).lastInsertRowid,
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
    return this.run(() => this.collectionRow(id));
  }

  async findCollectionByName(name: string): Promise<Collection | null> {
    return this.run(() => {
      const row = this.findCollectionRow(name);
      return row ? toCollection(row) : null;
    });
  }

  async renameCollection(id: number, clean: string): Promise<Collection> {
    await this.writersTurn();
    return this.run(() =>
      this.db
        .transaction(() => {
          this.collectionRow(id);
          const other = this.findCollectionRow(clean);
          if (other && other.id !== id) {
            throw collectionNameTaken(clean);
          }
          this.db.prepare('UPDATE collections SET name = ? WHERE id = ?').run(clean, id);
          return this.collectionRow(id);
        })
        .immediate(),
    );
  }

  async deleteCollection(id: number): Promise<void> {
    await this.writersTurn();
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

  collectionRow(id: number): Collection {
    const row = this.db
      .prepare(`SELECT ${COLLECTION_COLUMNS} FROM collections WHERE id = ? AND deleting = 0`)
      .get(id) as CollectionRow | undefined;
    if (!row) throw noCollection(id);
    return toCollection(row);
  }

  /** Work a crash interrupted: collection deletes, and NZB imports that never finished. */
  async finishPendingDeletes(): Promise<void> {
    await this.writersTurn();
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
      await this.writersTurn();
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
    await this.writersTurn();
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
  private deleteFileRows(fileId: number): void {
    this.home.forgetSegments(fileId);
    this.db.prepare('DELETE FROM file_groups WHERE file_id = ?').run(fileId);
    this.db.prepare('DELETE FROM files_fts WHERE rowid = ?').run(fileId);
    this.db.prepare('DELETE FROM files WHERE id = ?').run(fileId);
  }

  /** Removes a file and takes it out of every counter; used when ingest replaces a file. */
  removeFile(fileId: number): void {
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

  async startIngest(collectionId: number, onExisting: OnExisting): Promise<IngestSession> {
    if (this.writerThread) {
      // Refused here, in the calls' words, before a thread is started for nothing.
      this.run(() => this.collectionRow(collectionId));
      return this.writerThread.startIngest(collectionId, onExisting);
    }
    const writer = this.run(() => this.createIngestWriter(collectionId, onExisting));
    this.run(() => this.collectionRow(collectionId));
    return {
      readAhead: false,
      prepare: (batch) => batch,
      // One batch in one transaction: files, segments, search rows and counters commit together.
      write: (batch) => this.home.writeWith(writer, () => writer.writeBatch(batch as Parameters<SqliteIngestWriter['writeBatch']>[0])),
      knownSources: () => writer.knownSources(),
    };
  }

  private createIngestWriter(collectionId: number, onExisting: OnExisting): SqliteIngestWriter {
    return new SqliteIngestWriter(this.db, collectionId, onExisting, (fileId) => this.removeFile(fileId), this.home.writerHooks);
  }

  async appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    if (this.writerThread) return this.writerThread.appendSegments(fileId, part);
    // A file's collection never changes; the row itself is read again inside the transaction.
    const owner = this.run(() => this.db.prepare('SELECT collection_id FROM files WHERE id = ?').get(fileId) as { collection_id: number } | undefined);
    if (!owner) throw noFile(fileId);
    const writer = this.run(() => this.createIngestWriter(owner.collection_id, 'error'));
    return this.home.writeWith(writer, () => writer.appendToFile(fileId, part, (id) => this.home.highestSegmentNumber(id)));
  }

  // ---- browse ------------------------------------------------------------------------

  async resolvePath(collectionId: number, clean: string): Promise<ResolvedPath | null> {
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

  async listFolders(query: FolderPageQuery): Promise<Page<Folder>> {
    const { collectionId, limit } = query;
    return this.run(() => {
      this.collectionRow(collectionId);
      let parentId: number;
      if (query.parentId === null) {
        parentId = (this.db.prepare('SELECT id FROM folders WHERE collection_id = ? AND parent_id IS NULL').get(collectionId) as { id: number }).id;
      } else {
        parentId = query.parentId;
        const parent = this.db.prepare('SELECT collection_id FROM folders WHERE id = ?').get(parentId) as
          | { collection_id: number }
          | undefined;
        if (!parent || parent.collection_id !== collectionId) {
          throw folderNotInCollection(parentId, collectionId);
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

  async listFiles(query: FilePageQuery): Promise<Page<FileEntry>> {
    const { collectionId, folderId, state, sort, direction, limit, offset } = query;
    const keys = FILE_SORT_KEYS[sort];
    return this.run(() => {
      this.collectionRow(collectionId);
      if (folderId !== null) {
        const folder = this.db.prepare('SELECT collection_id FROM folders WHERE id = ?').get(folderId) as
          | { collection_id: number }
          | undefined;
        if (!folder || folder.collection_id !== collectionId) {
          throw folderNotInCollection(folderId, collectionId);
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
    return this.run(() => {
      const row = this.db
        .prepare(
          `SELECT ${FILE_COLUMNS}, f.metadata FROM files f JOIN collections c ON c.id = f.collection_id AND c.deleting = 0 WHERE f.id = ?`,
        )
        .get(fileId) as (FileRow & { metadata: string | null }) | undefined;
      if (!row) throw noFile(fileId);
      const groups = (
        this.db
          .prepare('SELECT g.name FROM file_groups fg JOIN groups g ON g.id = fg.group_id WHERE fg.file_id = ? ORDER BY g.name')
          .all(fileId) as { name: string }[]
      ).map((g) => g.name);
      return toFileDetail(row, groups);
    });
  }

  async findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    return this.run(() =>
      (
        this.db
          // The NOCASE index finds the candidates; BINARY keeps only the exact name.
          .prepare(`SELECT ${FILE_COLUMNS} FROM files f WHERE f.collection_id = ? AND f.name = ? AND f.name = ? COLLATE BINARY ORDER BY f.id LIMIT 1000`)
          .all(collectionId, name, name) as FileRow[]
      ).map(toFileEntry),
    );
  }

  async getSegments({ fileId, afterNumber: after, limit }: SegmentPageQuery): Promise<Segment[]> {
    return this.run(() => {
      const rows = this.home.readSegments(fileId, after, limit);
      if (rows.length === 0 && after === 0) {
        const exists = this.db.prepare('SELECT 1 FROM files WHERE id = ?').get(fileId);
        if (!exists) throw noFile(fileId);
      }
      return rows.map(toSegment);
    });
  }

  async updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    await this.writersTurn();
    return this.home.applySegmentUpdates(updates);
  }

  /** Moves file and collection counters by per-file deltas; runs inside the caller's transaction. */
  moveSegmentCounters(deltas: SegmentUpdatePlan['deltas']): void {
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
    await this.writersTurn();
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

  async getNzbSource(collectionId: number, { column, value }: SourceLookup): Promise<NzbSource | null> {
    return this.run(() => {
      const row = this.db
        .prepare(`SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE collection_id = ? AND ${column} = ? AND complete = 1`)
        .get(collectionId, value) as NzbSourceRow | undefined;
      return row ? toNzbSource(row) : null;
    });
  }

  async finishNzbSource(sourceId: number, dupeKey: string): Promise<NzbSource> {
    await this.writersTurn();
    return this.run(() =>
      this.db
        .transaction(() => {
          const row = this.db.prepare(`SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE id = ?`).get(sourceId) as NzbSourceRow | undefined;
          if (!row) throw noNzbSource(sourceId);
          const existing = this.db
            .prepare('SELECT id FROM nzb_sources WHERE collection_id = ? AND dupe_key = ? AND id != ?')
            .get(row.collection_id, dupeKey, sourceId) as { id: number } | undefined;
          if (existing) {
            throw nzbAlreadyThere(row.file_name, existing.id, dupeKey);
          }
          this.db.prepare('UPDATE nzb_sources SET dupe_key = ?, complete = 1 WHERE id = ?').run(dupeKey, sourceId);
          return toNzbSource({ ...row, dupe_key: dupeKey, complete: 1 });
        })
        .immediate(),
    );
  }

  async deleteFiles(ids: number[]): Promise<{ files: number; segments: number }> {
    await this.writersTurn();
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

  async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number } | null> {
    await this.writersTurn();
    const exists = this.run(() => this.db.prepare('SELECT 1 FROM nzb_sources WHERE id = ?').get(sourceId));
    return exists ? this.purgeNzbSource(sourceId) : null;
  }

  /** Takes a source's files out one chunk per transaction, with their counters; the source and its emptied folders go last. */
  private async purgeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    const removed = { files: 0, segments: 0 };
    const folders = new Set<number>();
    await this.deleteFilesInChunks<{ id: number; folder_id: number; segment_count: number }>(
      'SELECT id, folder_id, segment_count FROM files WHERE nzb_source_id = ? LIMIT ?',
      sourceId,
      (r) => {
        this.removeFile(r.id);
        folders.add(r.folder_id);
        removed.files++;
        removed.segments += r.segment_count;
      },
    );
    await this.writersTurn();
    this.run(() =>
      this.db
        .transaction(() => {
          this.pruneEmptyFolders(folders);
          this.db.prepare('DELETE FROM nzb_sources WHERE id = ?').run(sourceId);
        })
        .immediate(),
    );
    return removed;
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

  async search(query: SearchPageQuery): Promise<SearchPage> {
    return searchFiles(this.db, query, (fn) => this.run(fn));
  }

  // ---- maintenance -------------------------------------------------------------------

  async stats(detailed: boolean): Promise<StoreStats> {
    return this.run(() => measureStats(this.db, this.location, this.schemaVersion, detailed));
  }

  streamTable(table: TableName, options: StreamTableOptions): AsyncIterable<TableBatch> {
    return streamSqliteTable(table, options, (fn) => this.run(() => fn(this.db)));
  }

  streamTableText(table: TableName, options: StreamTableOptions): AsyncIterable<TextBatch> | null {
    return TEXT_TABLES.has(table) ? streamSqliteTableText(table, options, (fn) => this.run(() => fn(this.db))) : null;
  }

  streamSegmentsText(fileIds: readonly number[], options: SegmentsTextOptions): AsyncIterable<TextBatch> {
    return streamSqliteSegmentsText(fileIds, options, (fn) => this.run(() => fn(this.db)));
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    return this.run(() => checkCatalogIntegrity(this.db));
  }

  async openLoader(): Promise<TableLoader> {
    await this.writersTurn();
    return this.run(() => new SqliteTableLoader(this.db));
  }

  async repair(): Promise<RepairReport> {
    await this.writersTurn();
    return this.run(() => repairCatalogFile(this.db, this.location, { localSegments: true }));
  }

  async backup(destination: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    this.run(() => undefined);
    try {
      // The manifest is digested from the copy itself, so it describes exactly what the file holds.
      return await backupDatabase(this.db, destination, onProgress, async (copy) => writeManifestTable(copy, await digestSqliteFiles(copy)));
    } catch (error) {
      throw mapSqliteError(error, destination);
    }
  }
}
