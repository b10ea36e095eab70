/**
 * Tier 3's core: the catalog on PostgreSQL, one implementation for PGlite (3a) and servers
 * (3b, 3c), behind the shared front (store-front/checked-store.ts), which checks every argument
 * before it gets here. Everything here is written against PgDriver; only the driver differs.
 *
 * Behaviour follows tier 1 (sqlite-core.ts) call for call: the same cursors, derived states and
 * counters, kept in the same transaction as the rows. Where SQLite checks and then writes under
 * its single write lock, this code lets unique indexes and row locks decide, because a server
 * may have several writers.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../../../../shared/domain';
import { StrataError, invalidArgument } from '../../../../shared/errors';
import { SEGMENT_MISSING, SEGMENT_UPLOADED, deriveFileState, fileStateCode, segmentStateCode } from '../../state-codes';
import { decodeCursor, encodeCursor, type KeyValue } from '../../keyset';
import type { AppendResult, BackupProgress, BackupResult, IntegrityReport, OnExisting, RepairReport, ResolvedPath, SegmentAppend, SegmentUpdate, StoreCapabilities, StoreStats, StreamTableOptions, TableBatch, TableLoader, TableName, UpdateSegmentsResult } from '../../store';
import { collectionNameTaken, folderNotInCollection, noCollection, noFile, noNzbSource, nzbAlreadyThere } from '../../store-front/store-errors';
import type { EngineCore, FilePageQuery, FolderPageQuery, IngestSession, NewCollection, SearchPageQuery, SegmentPageQuery, SourceLookup } from '../../store-front/engine-core';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import { checkLimit } from '../../validate';
import { returnedId, type PgDriver, type PgQueryable } from './pg-driver';
import { mapPgError, pgCode, pgConstraint } from './pg-errors';
import { PgIngestWriter } from './pg-ingest';
import { prepareBatch, type PreparedBatch } from './pg-ingest-prepare';
import { FILE_SORT_KEYS, NAME_KEY, listFilesSql } from './pg-list-files';
import { checkCatalogIntegrity, measureStats, restoreBackup, writeBackup } from './pg-maintenance';
import { repairPgCatalog } from './pg-repair';
import { migratePg } from './pg-migrate';
import { COLLECTION_COLUMNS, FILE_COLUMNS, FOLDER_COLUMNS, NZB_SOURCE_COLUMNS, SEGMENT_COLUMNS } from './pg-rows';
import { toCollection, toFileDetail, toFileEntry, toFolder, toNzbSource, toSegment } from './pg-rows';
import type { CollectionRow, FileRow, FolderRow, NzbSourceRow, PgSegmentRow } from './pg-rows';
import { DEFAULT_SEGMENT_PARTITIONS, MAX_SEGMENT_PARTITIONS } from './pg-schema';
import { chooseSegmentsLayout, detectCitus, segmentsDistributed, type RowsOf } from './pg-segments-layout';
import { PgTableLoader } from './pg-table-loader';
import { hasEngineDigest, pgTableDigest } from './pg-table-digest';
import type { DigestScheme, TableDigestValue } from '../../migration/rows/table-digest';
import { checkTable, readTablePage } from './pg-table-rows';
import { toTsquery } from './pg-tsquery';

/** Files removed per transaction when deleting, so a delete never holds locks for long. */
const DELETE_CHUNK_FILES = 2_000;
/** An ingest that added this many files refreshes the planner's statistics. */
const ANALYZE_AFTER_FILES = 2_000;

/** ts_rank weights {D, C, B, A}: name (A) 1.0, subject (B) 0.4, folder (C) 0.2, as tier 1's bm25 10/4/2. */
const RANK_WEIGHTS = '{0.1, 0.2, 0.4, 1.0}';

/**
 * ANALYZE of files after a large import, its columns named: with a column list PostgreSQL
 * leaves out the statistics of expression indexes (the five folded-name ones), which were two
 * thirds of the ANALYZE (840 ms of backend CPU at 39,000 files, 280 ms without; at 1M
 * segments that was a tenth of the whole import). Pages and lookups on the folded name are
 * index scans whatever those statistics say; autovacuum on a server still gathers them later.
 */
const FILES_ANALYZE = `files (id, collection_id, folder_id, nzb_source_id, name, rel_path, size, mtime, sort_date, content_hash, subject,
  poster, posted_at, segment_count, bytes, uploaded_count, missing_count, duplicate_count, state, metadata, search)`;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface PgStoreOptions {
  /**
   * HASH partitions of `segments` when the catalog is created (ignored for an existing one,
   * and on a Citus database, where `segments` is distributed by file_id instead).
   */
  segmentPartitions?: number;
}

/** Checked before a driver opens, so a bad option costs no database start. */
export function checkPartitions(value: number | undefined): number {
  const partitions = value ?? DEFAULT_SEGMENT_PARTITIONS;
  if (!Number.isSafeInteger(partitions) || partitions < 1 || partitions > MAX_SEGMENT_PARTITIONS) {
    throw invalidArgument(`The segment partition count must be a whole number from 1 to ${MAX_SEGMENT_PARTITIONS}; got ${JSON.stringify(value)}.`);
  }
  return partitions;
}

export class PgCore implements EngineCore {
  readonly backupLayout = 'file';
  private closed = false;

  private constructor(
    private readonly driver: PgDriver,
    readonly capabilities: StoreCapabilities,
    private readonly schemaVersion: number,
  ) {}

  get location(): string {
    return this.driver.location;
  }

  /** Migrates the database at `driver` and finishes interrupted work. Closes the driver if that fails. */
  static async open(driver: PgDriver, capabilities: StoreCapabilities, options: PgStoreOptions = {}): Promise<PgCore> {
    let partitions: number;
    try {
      partitions = checkPartitions(options.segmentPartitions);
    } catch (error) {
      await driver.close();
      throw error;
    }
    try {
      const rows: RowsOf = async <R>(sql: string) => (await driver.query<R>(sql)).rows;
      const citus = await detectCitus(rows);
      const version = await migratePg(driver, { segments: chooseSegmentsLayout(citus, partitions) });
      const distributed = await segmentsDistributed(rows, citus);
      const store = new PgCore(driver, { ...capabilities, segmentsDistribution: distributed ? 'citus' : 'local' }, version);
      await store.finishPendingWork();
      return store;
    } catch (error) {
      await driver.close().catch(() => undefined);
      throw mapPgError(error, driver.location);
    }
  }

  /** Opens an empty database and loads a backup written by `backup()` into it. */
  static async restore(driver: PgDriver, capabilities: StoreCapabilities, file: string, options: PgStoreOptions = {}): Promise<PgCore> {
    const store = await PgCore.open(driver, capabilities, options);
    try {
      await restoreBackup(driver, file, store.schemaVersion);
    } catch (error) {
      await store.close();
      throw mapPgError(error, file);
    }
    return store;
  }

  /**
   * Loads a backup into this store, which must be empty (strata restore's new store). Returns
   * the counts and digests the backup recorded, or null for a backup from before it did.
   */
  restoreFrom(file: string): Promise<Record<string, { rows: number; digest: string }> | null> {
    return this.run(() => restoreBackup(this.driver, file, this.schemaVersion));
  }

  mapError(error: unknown): unknown {
    return mapPgError(error, this.location);
  }

  /** Runs `fn` on the open database, its driver errors in the one error shape (loaders and streams run outside the front). */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.location} is closed.`);
    try {
      return await fn();
    } catch (error) {
      throw mapPgError(error, this.location);
    }
  }

  private write<T>(fn: (tx: PgQueryable) => Promise<T>): Promise<T> {
    return this.run(() => this.driver.transaction(fn));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }

  // ---- collections -------------------------------------------------------------------

  async createCollection({ name, rootPath, source }: NewCollection): Promise<Collection> {
    return this.write(async (tx) => {
      let id: number;
      try {
        id = returnedId(
          await tx.query<{ id: number }>(
            'INSERT INTO collections (uid, name, root_path, source, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
            [randomUUID(), name, rootPath, source, Date.now()],
          ),
        );
      } catch (error) {
        if (pgCode(error) === '23505' && pgConstraint(error) === 'collections_name') throw collectionNameTaken(name);
        throw error;
      }
      await tx.query("INSERT INTO folders (collection_id, parent_id, name) VALUES ($1, NULL, '')", [id]);
      return this.collectionRow(tx, id);
    });
  }

  async listCollections(): Promise<Collection[]> {
    return this.run(async () =>
      (
        await this.driver.queryRows<CollectionRow>(
          `SELECT ${COLLECTION_COLUMNS} FROM collections WHERE NOT deleting ORDER BY ${NAME_KEY('name')}, id`,
        )
      ).map(toCollection),
    );
  }

  async getCollection(id: number): Promise<Collection> {
    return this.run(() => this.collectionRow(this.driver, id));
  }

  async findCollectionByName(clean: string): Promise<Collection | null> {
    return this.run(async () => {
      const row = (
        await this.driver.query<CollectionRow>(
          `SELECT ${COLLECTION_COLUMNS} FROM collections WHERE ${NAME_KEY('name')} = ${NAME_KEY('$1::text')} AND NOT deleting`,
          [clean],
        )
      ).rows[0];
      return row ? toCollection(row) : null;
    });
  }

  async renameCollection(id: number, clean: string): Promise<Collection> {
    return this.write(async (tx) => {
      await this.collectionRow(tx, id);
      try {
        await tx.query('UPDATE collections SET name = $1 WHERE id = $2', [clean, id]);
      } catch (error) {
        if (pgCode(error) === '23505' && pgConstraint(error) === 'collections_name') throw collectionNameTaken(clean);
        throw error;
      }
      return this.collectionRow(tx, id);
    });
  }

  async deleteCollection(id: number): Promise<void> {
    await this.write(async (tx) => {
      await this.collectionRow(tx, id);
      await tx.query('UPDATE collections SET deleting = true WHERE id = $1', [id]);
    });
    await this.purgeCollection(id);
  }

  private async collectionRow(q: PgQueryable, id: number): Promise<Collection> {
    const row = (await q.query<CollectionRow>(`SELECT ${COLLECTION_COLUMNS} FROM collections WHERE id = $1 AND NOT deleting`, [id])).rows[0];
    if (!row) throw noCollection(id);
    return toCollection(row);
  }

  /** Work a crash interrupted: collection deletes, and NZB imports that never finished. */
  private async finishPendingWork(): Promise<void> {
    const deleting = (await this.driver.query<{ id: number }>('SELECT id FROM collections WHERE deleting')).rows;
    for (const { id } of deleting) await this.purgeCollection(id);
    const imports = (await this.driver.query<{ id: number }>('SELECT id FROM nzb_sources WHERE complete = 0')).rows;
    for (const { id } of imports) await this.purgeNzbSource(id);
  }

  /**
   * Deletes the files `select` picks (owner id as $1, LIMIT as $2) in transactions of
   * DELETE_CHUNK_FILES, returning to the event loop between them.
   */
  private async deleteFilesInChunks(
    select: string,
    ownerId: number,
    remove: (tx: PgQueryable, ids: number[]) => Promise<void>,
  ): Promise<void> {
    for (;;) {
      const done = await this.write(async (tx) => {
        const ids = (await tx.query<{ id: number }>(select, [ownerId, DELETE_CHUNK_FILES])).rows.map((r) => r.id);
        if (ids.length > 0) await remove(tx, ids);
        return ids.length < DELETE_CHUNK_FILES;
      });
      if (done) return;
      await yieldToEventLoop();
    }
  }

  /** Removes a collection marked `deleting` in bounded transactions; safe to resume after a crash. */
  private async purgeCollection(id: number): Promise<void> {
    // Counters are not adjusted: the collection row goes with its files.
    await this.deleteFilesInChunks('SELECT id FROM files WHERE collection_id = $1 LIMIT $2', id, (tx, ids) => deleteFileRows(tx, ids));
    await this.write(async (tx) => {
      // One statement for the whole tree: the parent_id foreign key is checked at its end.
      await tx.query('DELETE FROM folders WHERE collection_id = $1', [id]);
      await tx.query('DELETE FROM nzb_sources WHERE collection_id = $1', [id]);
      await tx.query('DELETE FROM collections WHERE id = $1', [id]);
    });
  }

  // ---- ingest ------------------------------------------------------------------------

  async startIngest(collectionId: number, onExisting: OnExisting): Promise<IngestSession<PreparedBatch>> {
    await this.run(() => this.collectionRow(this.driver, collectionId));
    const writer = new PgIngestWriter(collectionId, onExisting, removeFiles);
    return {
      // While the server loads batch N, batch N+1 is read from the source and prepared
      // (validation, counters, full-text documents: no database), so that work runs on the
      // other core instead of between two transactions.
      readAhead: true,
      prepare: (batch) => prepareBatch(batch, onExisting),
      write: async (prepared) => {
        try {
          return await this.write((tx) => writer.writeBatch(tx, prepared));
        } catch (error) {
          writer.forgetUncommitted();
          throw error;
        }
      },
      knownSources: () => writer.knownSources(),
      finish: async (progress) => {
        if (progress.files < ANALYZE_AFTER_FILES) return;
        // PGlite runs no autovacuum, and a server's may lag a large import. Without fresh
        // statistics the planner misjudges the new rows (10 ms of planning per page query on
        // PGlite before, under 1 ms after), and new full-text entries wait in the GIN index's
        // pending list, which every search scans in full (search p95 32 ms before, 4 ms after;
        // docs/benchmarks.md).
        await this.run(() => this.driver.exec(`ANALYZE ${FILES_ANALYZE}, folders; SELECT gin_clean_pending_list('files_search')`));
      },
    };
  }

  async appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    // A file's collection never changes; the row itself is read and locked inside the transaction.
    const owner = await this.run(async () => (await this.driver.query<{ collection_id: number }>('SELECT collection_id FROM files WHERE id = $1', [fileId])).rows[0]);
    if (!owner) throw noFile(fileId);
    const writer = new PgIngestWriter(owner.collection_id, 'error', removeFiles);
    return this.write((tx) => writer.appendToFile(tx, fileId, part));
  }

  // ---- browse ------------------------------------------------------------------------

  async resolvePath(collectionId: number, clean: string): Promise<ResolvedPath | null> {
    return this.run(async () => {
      await this.collectionRow(this.driver, collectionId);
      if (clean !== '') {
        const file = (
          await this.driver.query<FileRow>(`SELECT ${FILE_COLUMNS} FROM files f WHERE f.collection_id = $1 AND f.rel_path = $2`, [
            collectionId,
            clean,
          ])
        ).rows[0];
        if (file) return { kind: 'file', file: toFileEntry(file) };
      }
      let folder = (
        await this.driver.query<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE collection_id = $1 AND parent_id IS NULL`, [collectionId])
      ).rows[0] as FolderRow;
      for (const part of clean === '' ? [] : clean.split('/')) {
        const next = (
          await this.driver.query<FolderRow>(`SELECT ${FOLDER_COLUMNS} FROM folders WHERE parent_id = $1 AND name = $2`, [folder.id, part])
        ).rows[0];
        if (!next) return null;
        folder = next;
      }
      return { kind: 'folder', folder: toFolder(folder) };
    });
  }

  async listFolders(query: FolderPageQuery): Promise<Page<Folder>> {
    const { collectionId, limit } = query;
    return this.run(async () => {
      await this.collectionRow(this.driver, collectionId);
      let parentId: number;
      if (query.parentId === null) {
        parentId = returnedId(
          await this.driver.query<{ id: number }>('SELECT id FROM folders WHERE collection_id = $1 AND parent_id IS NULL', [collectionId]),
        );
      } else {
        parentId = query.parentId;
        await this.checkFolderIn(parentId, collectionId);
      }
      const tag = `folders:${parentId}`;
      const after = query.cursor ? decodeCursor(tag, query.cursor, 2) : null;
      const rows = await this.driver.queryRows<FolderRow>(
        `SELECT ${FOLDER_COLUMNS} FROM folders WHERE parent_id = $1
           ${after ? `AND (${NAME_KEY('name')}, id) > (${NAME_KEY('$3::text')}, $4::bigint)` : ''}
          ORDER BY ${NAME_KEY('name')}, id LIMIT $2`,
        after ? [parentId, limit + 1, ...after] : [parentId, limit + 1],
      );
      const items = rows.slice(0, limit).map(toFolder);
      const last = rows.length > limit ? items[items.length - 1] : undefined;
      return { items, nextCursor: last ? encodeCursor(tag, [last.name, last.id]) : null };
    });
  }

  private async checkFolderIn(folderId: number, collectionId: number): Promise<void> {
    const folder = (await this.driver.query<{ collection_id: number }>('SELECT collection_id FROM folders WHERE id = $1', [folderId])).rows[0];
    if (!folder || folder.collection_id !== collectionId) {
      throw folderNotInCollection(folderId, collectionId);
    }
  }

  async listFiles(query: FilePageQuery): Promise<Page<FileEntry>> {
    const { collectionId, folderId, state, sort, direction, limit, offset } = query;
    const keys = FILE_SORT_KEYS[sort];
    return this.run(async () => {
      // The page query itself checks that the collection is live and the folder is in it, so
      // a page costs one round trip; only an empty page asks why, to report what is missing.
      const checkScope = async (): Promise<void> => {
        await this.collectionRow(this.driver, collectionId);
        if (folderId !== null) await this.checkFolderIn(folderId, collectionId);
      };
      const tag = `files:${collectionId}:${folderId ?? '*'}:${state ?? '*'}:${sort}:${direction}`;
      let after: KeyValue[] | null = null;
      try {
        after = query.cursor ? decodeCursor(tag, query.cursor, keys.keys.length) : null;
      } catch (error) {
        await checkScope();
        throw error;
      }
      const params: (string | number)[] = [folderId ?? collectionId];
      if (state !== null) params.push(fileStateCode(state));
      if (after) params.push(...after);
      // Row 0 needs no seek: it is the first page.
      const withSeek = offset > 0;
      if (withSeek) params.push(offset);
      params.push(limit + 1, collectionId);
      const sql = listFilesSql({ byFolder: folderId !== null, withState: state !== null, withCursor: after !== null, withSeek, sort, direction });
      const rows = await this.driver.queryRows<FileRow>(sql, params);
      if (rows.length === 0) await checkScope();
      const page = rows.slice(0, limit);
      const last = rows.length > limit ? page[page.length - 1] : undefined;
      return { items: page.map(toFileEntry), nextCursor: last ? encodeCursor(tag, keys.values(last)) : null };
    });
  }

  async getFile(fileId: number): Promise<FileDetail> {
    return this.run(async () => {
      const row = (
        await this.driver.query<FileRow & { metadata: string | null }>(
          `SELECT ${FILE_COLUMNS}, f.metadata::text AS metadata FROM files f
             JOIN collections c ON c.id = f.collection_id AND NOT c.deleting WHERE f.id = $1`,
          [fileId],
        )
      ).rows[0];
      if (!row) throw noFile(fileId);
      const groups = (
        await this.driver.query<{ name: string }>(
          'SELECT g.name FROM file_groups fg JOIN groups g ON g.id = fg.group_id WHERE fg.file_id = $1 ORDER BY g.name COLLATE "C"',
          [fileId],
        )
      ).rows.map((g) => g.name);
      return toFileDetail(row, groups);
    });
  }

  async findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    return this.run(async () =>
      (
        await this.driver.queryRows<FileRow>(
          // The folded-name index finds the candidates; plain equality keeps only the exact name.
          `SELECT ${FILE_COLUMNS} FROM files f
            WHERE f.collection_id = $1 AND ${NAME_KEY('f.name')} = ${NAME_KEY('$2::text')} AND f.name = $2
            ORDER BY f.id LIMIT 1000`,
          [collectionId, name],
        )
      ).map(toFileEntry),
    );
  }

  async getSegments({ fileId, afterNumber: after, limit }: SegmentPageQuery): Promise<Segment[]> {
    return this.run(async () => {
      const rows = await this.driver.queryRows<PgSegmentRow>(
        `SELECT ${SEGMENT_COLUMNS} FROM segments WHERE file_id = $1 AND number > $2 ORDER BY number LIMIT $3`,
        [fileId, Math.min(after, 2 ** 31 - 1), limit],
      );
      if (rows.length === 0 && after === 0) {
        const exists = (await this.driver.query('SELECT 1 FROM files WHERE id = $1', [fileId])).rows.length > 0;
        if (!exists) throw noFile(fileId);
      }
      return rows.map(toSegment);
    });
  }

  async updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    if (updates.length === 0) return { updated: 0, notFound: 0 };
    return this.write(async (tx) => {
      // Read (and lock) every addressed segment at once, apply the updates in order in memory
      // (a segment named twice sees its first update, as on tier 1), then write once.
      const { rows } = await tx.query<{ file_id: number; number: number; state: number; message_id: string | null; uploaded_at: number | null }>(
        `SELECT s.file_id, s.number, s.state, s.message_id, s.uploaded_at
           FROM segments s JOIN (SELECT DISTINCT * FROM unnest($1::bigint[], $2::bigint[]) AS u(f, n)) u ON s.file_id = u.f AND s.number = u.n
            FOR UPDATE OF s`,
        [updates.map((u) => u.fileId), updates.map((u) => u.number)],
      );
      type Current = { state: number; message_id: string | null; uploaded_at: number | null };
      const current = new Map<string, Current>(rows.map((r) => [`${r.file_id}:${r.number}`, r]));
      const original = new Map<string, number>(rows.map((r) => [`${r.file_id}:${r.number}`, r.state]));
      let updated = 0;
      let notFoundCount = 0;
      for (const u of updates) {
        const key = `${u.fileId}:${u.number}`;
        const c = current.get(key);
        if (!c) {
          notFoundCount++;
          continue;
        }
        const messageId = u.messageId === undefined ? c.message_id : u.messageId;
        const state =
          u.state !== undefined ? segmentStateCode(u.state) : u.messageId !== undefined && messageId !== null ? SEGMENT_UPLOADED : c.state;
        current.set(key, { state, message_id: messageId, uploaded_at: u.uploadedAt === undefined ? c.uploaded_at : u.uploadedAt });
        updated++;
      }
      const deltas = new Map<number, { uploaded: number; missing: number }>();
      const f: number[] = [];
      const n: number[] = [];
      const st: number[] = [];
      const mid: (string | null)[] = [];
      const ua: (number | null)[] = [];
      for (const [key, c] of current) {
        const [fileId, number] = key.split(':').map(Number) as [number, number];
        f.push(fileId);
        n.push(number);
        st.push(c.state);
        mid.push(c.message_id);
        ua.push(c.uploaded_at);
        const before = original.get(key) as number;
        const du = (c.state === SEGMENT_UPLOADED ? 1 : 0) - (before === SEGMENT_UPLOADED ? 1 : 0);
        const dm = (c.state === SEGMENT_MISSING ? 1 : 0) - (before === SEGMENT_MISSING ? 1 : 0);
        if (du !== 0 || dm !== 0) {
          const d = deltas.get(fileId) ?? { uploaded: 0, missing: 0 };
          d.uploaded += du;
          d.missing += dm;
          deltas.set(fileId, d);
        }
      }
      if (f.length > 0) {
        await tx.query(
          `UPDATE segments s SET state = u.st, message_id = u.mid, uploaded_at = u.ua
             FROM unnest($1::bigint[], $2::bigint[], $3::smallint[], $4::text[], $5::bigint[]) AS u(f, n, st, mid, ua)
            WHERE s.file_id = u.f AND s.number = u.n`,
          [f, n, st, mid as string[], ua as number[]],
        );
      }
      for (const [fileId, d] of deltas) {
        const file = (
          await tx.query<{ collection_id: number; segment_count: number; uploaded_count: number; missing_count: number }>(
            'SELECT collection_id, segment_count, uploaded_count, missing_count FROM files WHERE id = $1 FOR UPDATE',
            [fileId],
          )
        ).rows[0];
        if (!file) continue;
        const uploadedCount = file.uploaded_count + d.uploaded;
        const missingCount = file.missing_count + d.missing;
        const state = deriveFileState({ segmentCount: file.segment_count, uploadedCount, missingCount });
        await tx.query('UPDATE files SET uploaded_count = $1, missing_count = $2, state = $3 WHERE id = $4', [uploadedCount, missingCount, state, fileId]);
        await tx.query(
          'UPDATE collections SET uploaded_segments = uploaded_segments + $1, missing_segments = missing_segments + $2 WHERE id = $3',
          [d.uploaded, d.missing, file.collection_id],
        );
      }
      return { updated, notFound: notFoundCount };
    });
  }

  async updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number> {
    if (updates.length === 0) return 0;
    return this.write(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE files f SET mtime = u.m, sort_date = u.m FROM unnest($1::bigint[], $2::bigint[]) AS u(id, m) WHERE f.id = u.id`,
        [updates.map((u) => u.fileId), updates.map((u) => u.mtime)],
      );
      return rowCount;
    });
  }

  async getNzbSource(collectionId: number, { column, value }: SourceLookup): Promise<NzbSource | null> {
    return this.run(async () => {
      const row = (
        await this.driver.query<NzbSourceRow>(
          `SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE collection_id = $1 AND ${column} = $2${column === 'id' ? '::bigint' : '::text'} AND complete = 1`,
          [collectionId, value],
        )
      ).rows[0];
      return row ? toNzbSource(row) : null;
    });
  }

  async finishNzbSource(sourceId: number, dupeKey: string): Promise<NzbSource> {
    return this.write(async (tx) => {
      const row = (await tx.query<NzbSourceRow>(`SELECT ${NZB_SOURCE_COLUMNS} FROM nzb_sources WHERE id = $1 FOR UPDATE`, [sourceId])).rows[0];
      if (!row) throw noNzbSource(sourceId);
      const existing = (
        await tx.query<{ id: number }>('SELECT id FROM nzb_sources WHERE collection_id = $1 AND dupe_key = $2 AND id != $3', [
          row.collection_id,
          dupeKey,
          sourceId,
        ])
      ).rows[0];
      if (existing) {
        throw nzbAlreadyThere(row.file_name, existing.id, dupeKey);
      }
      await tx.query('UPDATE nzb_sources SET dupe_key = $1, complete = 1 WHERE id = $2', [dupeKey, sourceId]);
      return toNzbSource({ ...row, dupe_key: dupeKey, complete: 1 });
    });
  }

  async deleteFiles(ids: number[]): Promise<{ files: number; segments: number }> {
    return this.write(async (tx) => {
      const { rows } = await tx.query<{ nzb_source_id: number }>(
        'SELECT DISTINCT nzb_source_id FROM files WHERE id = ANY($1::bigint[]) AND nzb_source_id IS NOT NULL',
        [ids],
      );
      const removed = await removeFiles(tx, ids);
      // A source with no file left goes too: importing that NZB again brings its files back.
      await tx.query(
        `DELETE FROM nzb_sources s WHERE s.id = ANY($1::bigint[]) AND s.complete = 1
           AND NOT EXISTS (SELECT 1 FROM files f WHERE f.nzb_source_id = s.id)`,
        [rows.map((r) => r.nzb_source_id)],
      );
      return { files: removed.files, segments: removed.segments };
    });
  }

  async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number } | null> {
    const exists = await this.run(async () => (await this.driver.query('SELECT 1 FROM nzb_sources WHERE id = $1', [sourceId])).rows.length > 0);
    return exists ? this.purgeNzbSource(sourceId) : null;
  }

  /** Removes a source's files in bounded transactions, counters included, then the source. */
  private async purgeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    let files = 0;
    let segments = 0;
    const folders = new Set<number>();
    await this.deleteFilesInChunks('SELECT id FROM files WHERE nzb_source_id = $1 LIMIT $2', sourceId, async (tx, ids) => {
      const removed = await removeFiles(tx, ids);
      for (const id of removed.folders) folders.add(id);
      files += removed.files;
      segments += removed.segments;
    });
    await this.write(async (tx) => {
      await pruneEmptyFolders(tx, folders);
      await tx.query('DELETE FROM nzb_sources WHERE id = $1', [sourceId]);
    });
    return { files, segments };
  }

  // ---- search ------------------------------------------------------------------------

  async search({ tree, collectionId, state, limit, offset }: SearchPageQuery): Promise<SearchPage> {
    const tsquery = toTsquery(tree);
    return this.run(async () => {
      const params: (string | number)[] = [tsquery, limit + 1, offset];
      if (collectionId !== null) params.push(collectionId);
      if (state !== null) params.push(fileStateCode(state));
      // The state is filtered here, not by the caller, so LIMIT/OFFSET page over matching files only.
      const rows = await this.driver.queryRows<FileRow & { score: number }>(
        `SELECT ${FILE_COLUMNS}, ts_rank('${RANK_WEIGHTS}', f.search, q.q) AS score
           FROM files f, (SELECT $1::tsquery AS q) q
          WHERE f.search @@ q.q
            ${collectionId === null ? '' : 'AND f.collection_id = $4'}
            ${state === null ? '' : `AND f.state = $${params.length}`}
            AND f.collection_id NOT IN (SELECT id FROM collections WHERE deleting)
          ORDER BY score DESC, f.id
          LIMIT $2 OFFSET $3`,
        params,
      );
      const hits = rows.slice(0, limit).map((r) => ({ file: toFileEntry(r), score: r.score }));
      return { hits, nextOffset: rows.length > limit ? offset + limit : null };
    });
  }

  // ---- maintenance -------------------------------------------------------------------

  async stats(detailed: boolean): Promise<StoreStats> {
    return this.run(() => measureStats(this.driver, this.capabilities, this.schemaVersion, detailed));
  }

  async *streamTable(table: TableName, options: StreamTableOptions): AsyncIterable<TableBatch> {
    checkTable(table);
    const batchSize = checkLimit(options.batchSize, 5_000, 100_000);
    const spec = TABLE_COLUMNS[table];
    let after = options.after ?? null;
    if (after !== null && (!Array.isArray(after) || after.length !== spec.key.length)) {
      throw invalidArgument(`A ${table} resume key has ${spec.key.length} part(s).`);
    }
    // Each batch is its own query: a stream must not hold PGlite's only connection for its length.
    for (;;) {
      if (options.signal?.aborted) throw new StrataError('cancelled', `Reading ${table} was cancelled.`);
      const rows = await this.run(() => readTablePage(this.driver, table, after, batchSize));
      if (rows.length === 0) return;
      const last = rows[rows.length - 1] as (typeof rows)[number];
      after = spec.key.map((k) => last[k] as string | number);
      yield { rows, lastKey: after };
      if (rows.length < batchSize) return;
    }
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    return this.run(() => checkCatalogIntegrity(this.driver));
  }

  async repair(): Promise<RepairReport> {
    return this.run(() => repairPgCatalog(this.driver));
  }

  /** The store as a migration target (copy-store.ts): bulk COPY of streamed rows with their ids. */
  async openLoader(): Promise<TableLoader> {
    const loader = await this.run(() => PgTableLoader.open(this.driver));
    return {
      load: (table, rows) => this.run(() => loader.load(table, rows)),
      loadText: (table, batch) => this.run(() => loader.loadText(table, batch)),
      textTables: loader.textTables,
      partsOf: (table) => this.run(() => loader.partsOf(table)),
      loadPart: (table, part, batches, copied) => this.run(() => loader.loadPart(table, part, batches, copied)),
      tableLoaded: (table) => loader.tableLoaded(table),
      digestScheme: (table) => loader.digestScheme(table),
      finish: () => this.run(() => loader.finish()),
    };
  }

  /** A table's verification digest computed by the server over its stored rows (null before PostgreSQL 18). */
  async digestTable(table: TableName, scheme: DigestScheme = 'text'): Promise<TableDigestValue | null> {
    checkTable(table);
    return this.run(async () => ((await hasEngineDigest(this.driver, scheme)) ? pgTableDigest(this.driver, table, scheme) : null));
  }

  async backup(destination: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    return this.run(() => writeBackup(this.driver, this.schemaVersion, this.capabilities.engine, destination, onProgress));
  }
}

/** Deletes files' rows without touching counters (the caller adjusts or discards them). */
async function deleteFileRows(tx: PgQueryable, ids: number[]): Promise<void> {
  await tx.query('DELETE FROM segments WHERE file_id = ANY($1::bigint[])', [ids]);
  await tx.query('DELETE FROM file_groups WHERE file_id = ANY($1::bigint[])', [ids]);
  await tx.query('DELETE FROM files WHERE id = ANY($1::bigint[])', [ids]);
}

/** Removes files and takes them out of every counter; returns what went and the folders touched. */
async function removeFiles(tx: PgQueryable, ids: number[]): Promise<{ files: number; segments: number; folders: number[] }> {
  const { rows } = await tx.query<{
    collection_id: number;
    folder_id: number;
    files: number;
    size: number;
    segment_count: number;
    bytes: number;
    uploaded_count: number;
    missing_count: number;
  }>(
    `SELECT collection_id, folder_id, count(*)::bigint AS files, sum(size)::bigint AS size, sum(segment_count)::bigint AS segment_count,
            sum(bytes)::bigint AS bytes, sum(uploaded_count)::bigint AS uploaded_count, sum(missing_count)::bigint AS missing_count
       FROM files WHERE id = ANY($1::bigint[]) GROUP BY collection_id, folder_id`,
    [ids],
  );
  await deleteFileRows(tx, ids);
  let files = 0;
  let segments = 0;
  for (const r of rows) {
    files += r.files;
    segments += r.segment_count;
    await tx.query('UPDATE folders SET file_count = file_count - $1, bytes = bytes - $2 WHERE id = $3', [r.files, r.size, r.folder_id]);
    await tx.query(
      `UPDATE collections SET file_count = file_count - $1, segment_count = segment_count - $2, bytes = bytes - $3,
         uploaded_segments = uploaded_segments - $4, missing_segments = missing_segments - $5 WHERE id = $6`,
      [r.files, r.segment_count, r.bytes, r.uploaded_count, r.missing_count, r.collection_id],
    );
  }
  return { files, segments, folders: rows.map((r) => r.folder_id) };
}

/** Deletes the given folders, and then their parents, while they hold nothing. */
async function pruneEmptyFolders(tx: PgQueryable, start: Iterable<number>): Promise<void> {
  for (const first of start) {
    let id: number | null = first;
    while (id !== null) {
      type FolderCounts = { collection_id: number; parent_id: number | null; file_count: number; folder_count: number };
      const f: FolderCounts | undefined = (
        await tx.query<FolderCounts>(
          'SELECT collection_id, parent_id, file_count, folder_count FROM folders WHERE id = $1',
          [id],
        )
      ).rows[0];
      if (!f || f.parent_id === null || f.file_count > 0 || f.folder_count > 0) break;
      await tx.query('DELETE FROM folders WHERE id = $1', [id]);
      await tx.query('UPDATE folders SET folder_count = folder_count - 1 WHERE id = $1', [f.parent_id]);
      await tx.query('UPDATE collections SET folder_count = folder_count - 1 WHERE id = $1', [f.collection_id]);
      id = f.parent_id;
    }
  }
}
