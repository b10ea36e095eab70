/**
 * Tier 2: a catalog file (collections, folders, files, search, NZB sources: the one-file
 * schema) plus N segment shard files, each written by its own thread.
 *
 * Consistency across files rests on three rules:
 * - Ingest epochs: a batch's segments are written and committed in the shards first, each shard
 *   recording the epoch and the file-id range it wrote; the catalog transaction holding the
 *   batch's files commits last and records the epoch. At open, a shard's epochs above the
 *   catalog's are taken back. A batch is thus in every file or in none.
 * - Removals are catalog-only: a removed file goes to `dead_files` in the same transaction, and
 *   its segments are purged from the shard afterwards (again at open, if a crash intervened).
 *   File ids are never reused, so a dead file's leftover rows can never be mistaken for a new one's.
 * - Segment updates commit their counters with a journal entry of final values in the catalog,
 *   then apply to the shards, then clear the entry; an entry found at open is applied again.
 *
 * The catalog transaction of an ingest batch stays open while the shards commit (an await), so
 * every entry point takes a readers-writer lock: reads share it, writes that span files hold it
 * alone.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import path from 'node:path';
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { ShardSize } from '../../../../shared/results';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage } from '../../../../shared/domain';
import type {
  BackupProgress,
  BackupResult,
  CreateCollectionInput,
  IntegrityReport,
  RepairReport,
  ListFilesQuery,
  ListFoldersQuery,
  NzbSourceKey,
  ResolvedPath,
  SearchQuery,
  SegmentUpdate,
  StoreCapabilities,
  StoreStats,
  StreamTableOptions,
  TableBatch,
  TextBatch,
  TableLoader,
  TableName,
  UpdateSegmentsResult,
  ReshardOptions,
  ReshardProgress,
  ReshardResult,
} from '../../store';
import { planSegmentUpdates, type CurrentSegment, type PlannedSegment } from '../../segment-update-plan';
import { DEFAULT_TUNING, openCatalogDatabase, openCatalogReadOnly, type SqliteDatabase, type SqliteTuning } from '../sqlite/open-database';
import { SqliteIngestWriter } from '../sqlite/sqlite-ingest';
import { SqliteTableLoader } from '../sqlite/sqlite-table-loader';
import { SegmentColumnsBuilder } from './segment-columns';
import { measureStats, sqliteFileBytes, tableSizes } from '../sqlite/sqlite-maintenance';
import { mapSqliteError, sqliteCode } from '../sqlite/sqlite-errors';
import type { SegmentRow } from '../sqlite/sqlite-rows';
import { SqliteStore } from '../sqlite/sqlite-store';
import { EpochSink } from './epoch-sink';
import { registerShardOf } from './jump-hash-sql';
import { mergeShardSegments } from './merged-segment-stream';
import { ensureShardedCatalog, readCopyingMap, readShardMap, readShardState, type ShardState } from './sharded-catalog';
import { copyMovedRows, digestMovedIn, dropForeignRows } from './reshard-copy';
import { RowDigest } from '../../migration/rows/row-digest';
import { backupShardedStore, checkShardedIntegrity, repairShardedStore } from './sharded-maintenance';
import { shardFileName, shardUnavailable } from './shard-file';
import { RwLock } from './rw-lock';
import { SHARD_TUNING, ShardSet, type Shard } from './shard-set';

export const SHARDED_CATALOG_FILE = 'catalog.db';
/** Chosen by `npm run bench -- ingest --engine sharded` on a 2-core machine (docs/benchmarks.md). */
export const DEFAULT_SHARD_COUNT = 4;
export const MAX_SHARD_COUNT = 256;

export interface ShardedStoreOptions {
  /** Shards of a new store; an existing store keeps its own map. */
  shards?: number;
  tuning?: Partial<SqliteTuning>;
  shardTuning?: Partial<SqliteTuning>;
  /** The folder cannot be written: query-only connections, no writer threads, no recovery at open. */
  readOnly?: boolean;
}

/**
 * Fault injection for the crash tests only: kill the process after the shards committed the
 * n-th batch of this process and before the catalog did. Unset in normal use.
 */
const CRASH_AFTER_SHARD_COMMIT = Number(process.env.STRATA_CRASH_AFTER_SHARD_COMMIT ?? 0);

/** Dead files purged per round, so one round's messages stay small. */
const PURGE_CHUNK = 5_000;

export function checkShardCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SHARD_COUNT) {
    throw invalidArgument(`A shard count is a whole number from 1 to ${MAX_SHARD_COUNT}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export class ShardedStore extends SqliteStore {
  override readonly capabilities: StoreCapabilities = {
    engine: 'sharded',
    tier: 2,
    concurrentWriters: 1,
    fileBacked: true,
    onlineBackup: true,
    fullText: 'fts5',
  };
  protected readonly lock = new RwLock();
  protected shards!: ShardSet;
  protected state!: ShardState;
  private nextEpoch = 1;
  /** The first epoch of this process, for the crash test hook. */
  private firstEpoch = 1;
  private nextFileId = 1;
  private sink: EpochSink | null = null;
  /** Set while a re-sharding copies rows: writes that touch shards are refused meanwhile. */
  protected reshardingNotice: string | null = null;
  /** Between a re-sharding's switch and the end of its cleanup, old shards still hold moved rows. */
  protected cleanupPending = false;
  /** Set when a shard could not take back a failed batch: writes stop until the next open repairs it. */
  private broken: StrataError | null = null;

  protected constructor(
    db: SqliteDatabase,
    dir: string,
    schemaVersion: number,
    protected readonly shardTuning: SqliteTuning,
  ) {
    super(db, dir, schemaVersion);
  }

  get catalogFile(): string {
    return path.join(this.location, SHARDED_CATALOG_FILE);
  }

  get shardCount(): number {
    return this.shards.count;
  }

  static override async open(dir: string, options: ShardedStoreOptions = {}): Promise<ShardedStore> {
    const requested = checkShardCount(options.shards ?? DEFAULT_SHARD_COUNT);
    const tuning = { ...DEFAULT_TUNING, ...options.tuning };
    const shardTuning = { ...SHARD_TUNING, ...options.shardTuning };
    const resolved = path.resolve(dir);
    if (options.readOnly) return ShardedStore.openReadOnly(resolved, tuning, shardTuning);
    fs.mkdirSync(resolved, { recursive: true, mode: 0o700 });
    const opened = openCatalogDatabase(path.join(resolved, SHARDED_CATALOG_FILE), tuning, 'sharded');
    const store = new ShardedStore(opened.db, resolved, opened.schemaVersion, shardTuning);
    try {
      ensureShardedCatalog(opened.db, requested);
      registerShardOf(opened.db);
      store.state = readShardState(opened.db);
      const map = readShardMap(opened.db, store.state.mapVersion);
      if (!map) throw new StrataError('db-corrupt', `The catalog ${store.catalogFile} names shard map ${store.state.mapVersion}, which it does not have.`);
      // A store that never committed a batch may have been interrupted while creating its
      // shard files: the missing ones are created. Later, a missing shard is an error.
      // "Never held a file" is the high-water mark at 1: a store whose files were all deleted
      // (or one filled by a migration, which commits no epoch) is not new, and recreating its
      // missing shard empty would orphan the rows of the real one when it comes back.
      const fresh =
        store.state.committedEpoch === 0 && store.state.nextFileId <= 1 && opened.db.prepare('SELECT 1 FROM files LIMIT 1').get() === undefined;
      const create = fresh ? Array.from({ length: map.shardCount }, (_, i) => i).filter((i) => !fs.existsSync(path.join(resolved, shardFileName(i)))) : [];
      store.shards = ShardSet.open(resolved, store.state.storeUid, map.shardCount, shardTuning, create);
      store.capabilities.concurrentWriters = map.shardCount;
      await store.recover();
      return store;
    } catch (error) {
      await store.shards?.close();
      opened.db.close();
      throw error;
    }
  }

  /**
   * A store in a read-only folder. Recovery is skipped (it writes): rows of an epoch a crash
   * left uncommitted stay in their shard, where no committed file of the catalog names them.
   */
  private static async openReadOnly(dir: string, tuning: SqliteTuning, shardTuning: SqliteTuning): Promise<ShardedStore> {
    const opened = openCatalogReadOnly(path.join(dir, SHARDED_CATALOG_FILE), tuning, 'sharded');
    const store = new ShardedStore(opened.db, dir, opened.schemaVersion, shardTuning);
    store.readOnly = true;
    try {
      registerShardOf(opened.db);
      store.state = readShardState(opened.db);
      const map = readShardMap(opened.db, store.state.mapVersion);
      if (!map) throw new StrataError('db-corrupt', `The catalog ${store.catalogFile} names shard map ${store.state.mapVersion}, which it does not have.`);
      store.shards = ShardSet.open(dir, store.state.storeUid, map.shardCount, shardTuning, [], true);
      store.capabilities.concurrentWriters = 0;
      return store;
    } catch (error) {
      await store.shards?.close();
      opened.db.close();
      throw error;
    }
  }

  /** Repairs what a crash may have left between the catalog and the shards. */
  protected async recover(): Promise<void> {
    const committed = this.state.committedEpoch;
    const writers = this.shards.shards.flatMap((s) => (s.writer ? [s.writer] : []));
    await Promise.all(writers.map((w) => w.request({ op: 'undo', after: committed })));
    this.nextEpoch = committed + 1;
    this.firstEpoch = this.nextEpoch;
    await this.recoverResharding();
    await this.replaySegmentJournal();
    await this.finishPendingDeletes();
    await this.collectGarbage();
  }

  // ---- locking of the inherited entry points ----------------------------------------

  override createCollection(input: CreateCollectionInput): Promise<Collection> {
    return this.lock.shared(() => super.createCollection(input));
  }
  override listCollections(): Promise<Collection[]> {
    return this.lock.shared(() => super.listCollections());
  }
  override getCollection(id: number): Promise<Collection> {
    return this.lock.shared(() => super.getCollection(id));
  }
  override findCollectionByName(name: string): Promise<Collection | null> {
    return this.lock.shared(() => super.findCollectionByName(name));
  }
  override renameCollection(id: number, name: string): Promise<Collection> {
    return this.lock.shared(() => super.renameCollection(id, name));
  }
  override async deleteCollection(id: number): Promise<void> {
    // A delete while a shard is away could not purge that shard's rows; refused, so nothing
    // is left behind to come back as orphans with the shard.
    await this.lock.shared(() => {
      this.run(() => this.shards.requireAll());
      return super.deleteCollection(id);
    });
    await this.purgeRemovedFiles();
  }
  override listFolders(query: ListFoldersQuery): Promise<Page<Folder>> {
    return this.lock.shared(() => super.listFolders(query));
  }
  override resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null> {
    return this.lock.shared(() => super.resolvePath(collectionId, relPath));
  }
  override listFiles(query: ListFilesQuery): Promise<Page<FileEntry>> {
    return this.lock.shared(() => super.listFiles(query));
  }
  override getFile(fileId: number): Promise<FileDetail> {
    return this.lock.shared(() => super.getFile(fileId));
  }
  override findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    return this.lock.shared(() => super.findFilesByName(collectionId, name));
  }
  override getSegments(query: Parameters<SqliteStore['getSegments']>[0]): ReturnType<SqliteStore['getSegments']> {
    return this.lock.shared(() => super.getSegments(query));
  }
  override updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number> {
    return this.lock.shared(() => super.updateFileMtimes(updates));
  }
  override getNzbSource(collectionId: number, key: NzbSourceKey): Promise<NzbSource | null> {
    return this.lock.shared(() => super.getNzbSource(collectionId, key));
  }
  override finishNzbSource(sourceId: number, final: { dupeKey: string }): Promise<NzbSource> {
    return this.lock.shared(() => super.finishNzbSource(sourceId, final));
  }
  override async deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }> {
    const removed = await this.lock.shared(() => {
      this.run(() => this.assertWritable());
      return super.deleteFiles(fileIds);
    });
    await this.purgeRemovedFiles();
    return removed;
  }
  override async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number }> {
    const removed = await this.lock.shared(() => {
      this.run(() => this.shards.requireAll());
      return super.removeNzbSource(sourceId);
    });
    await this.purgeRemovedFiles();
    return removed;
  }
  override search(query: SearchQuery): Promise<SearchPage> {
    return this.lock.shared(() => super.search(query));
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await this.lock.exclusive(async () => {
      await this.shards.close();
      await super.close();
    });
  }

  // ---- ingest ------------------------------------------------------------------------

  override async ingest(...args: Parameters<SqliteStore['ingest']>): ReturnType<SqliteStore['ingest']> {
    try {
      return await super.ingest(...args);
    } finally {
      // Files replaced by the ingest left their segments behind in the shards.
      await this.purgeRemovedFiles();
    }
  }

  protected override createIngestWriter(collectionId: number, onExisting: Parameters<SqliteStore['createIngestWriter']>[1]): SqliteIngestWriter {
    return new SqliteIngestWriter(this.db, collectionId, onExisting, (fileId) => this.removeFile(fileId), {
      writeSegments: (fileId, segments, states) => {
        if (!this.sink) throw new Error('segments written outside an ingest epoch');
        this.sink.add(fileId, segments, states);
      },
      allocateFileId: () => this.nextFileId++,
    });
  }

  /**
   * A write of the ingest writer (a batch, or segments appended to an open file) in one epoch.
   * An appended file's epoch records that file's id, so taking the epoch back removes all of
   * its segments, not only the appended ones: acceptable because only a file of a pending NZB
   * source is ever appended to, and a failed or interrupted import removes that source whole.
   */
  protected override writeWith<T>(writer: SqliteIngestWriter, write: () => T): Promise<T> {
    return this.lock.exclusive(async () => {
      this.run(() => this.assertWritable());
      const sink = new EpochSink(this.shards, this.nextEpoch++);
      this.sink = sink;
      try {
        const outcome = this.run(() => {
          this.nextFileId = readShardState(this.db).nextFileId;
          this.db.exec('BEGIN IMMEDIATE');
          return write();
        });
        await sink.commit();
        if (CRASH_AFTER_SHARD_COMMIT === sink.epoch - this.firstEpoch + 1) process.kill(process.pid, 'SIGKILL');
        this.run(() => {
          this.db.prepare('UPDATE shard_state SET committed_epoch = ?, next_file_id = ?').run(sink.epoch, this.nextFileId);
          this.db.exec('COMMIT');
        });
        this.state.committedEpoch = sink.epoch;
        return outcome;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        writer.forgetUncommitted();
        try {
          await sink.abort();
        } catch (abortError) {
          this.broken = new StrataError(
            'shard-unavailable',
            `A failed batch could not be taken back from every shard (${(abortError as Error).message}). Imports are stopped; restart Strata to repair the catalog.`,
          );
        }
        throw mapSqliteError(error, this.catalogFile);
      } finally {
        this.sink = null;
      }
    });
  }

  protected assertWritable(): void {
    if (this.broken) throw this.broken;
    if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
    this.shards.requireAll();
  }

  // ---- removed files -----------------------------------------------------------------

  protected override forgetSegments(fileId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO dead_files (file_id) VALUES (?)').run(fileId);
  }

  private async purgeRemovedFiles(): Promise<void> {
    if (this.closed) return;
    try {
      await this.lock.exclusive(() => this.collectGarbage());
    } catch {
      // The rows stay listed in dead_files and invisible; the next purge or open retries.
    }
  }

  /** Purges the segments of removed files from their shards, then forgets the files. */
  protected async collectGarbage(): Promise<void> {
    if (this.reshardingNotice || this.shards.unavailable.length > 0) return;
    const next = this.db.prepare('SELECT file_id FROM dead_files ORDER BY file_id LIMIT ?').pluck();
    const forget = this.db.prepare('DELETE FROM dead_files WHERE file_id = ?');
    for (;;) {
      const ids = this.run(() => next.all(PURGE_CHUNK) as number[]);
      if (ids.length === 0) return;
      const byShard = groupByShard(this.shards, ids, (id) => id);
      await this.shards.everyWriter((shard) => {
        const fileIds = byShard.get(shard.index);
        return fileIds ? { op: 'purge', fileIds } : null;
      });
      this.run(() => this.db.transaction(() => ids.forEach((id) => forget.run(id))).immediate());
    }
  }

  // ---- segments ----------------------------------------------------------------------

  protected override readSegments(fileId: number, after: number, limit: number): SegmentRow[] {
    const shard = this.shards.shardFor(fileId);
    return this.onShard(shard, (db) => {
      // The hot read of the tier: one prepared statement per shard connection, kept.
      let stmt = this.segmentReads.get(db);
      if (!stmt) {
        stmt = db.prepare('SELECT file_id, number, bytes, state, hash, message_id, uploaded_at FROM segments WHERE file_id = ? AND number > ? ORDER BY number LIMIT ?');
        this.segmentReads.set(db, stmt);
      }
      return stmt.all(fileId, after, limit) as SegmentRow[];
    });
  }

  protected override highestSegmentNumber(fileId: number): number {
    const row = this.onShard(this.shards.shardFor(fileId), (db) =>
      db.prepare('SELECT max(number) AS n FROM segments WHERE file_id = ?').get(fileId) as { n: number | null },
    );
    return row.n ?? 0;
  }

  private readonly segmentReads = new WeakMap<SqliteDatabase, Database.Statement<[number, number, number]>>();

  /** Runs a read on a shard, naming that shard in any storage error. */
  protected onShard<T>(shard: Shard, fn: (db: NonNullable<Shard['reader']>) => T): T {
    const db = this.shards.reader(shard);
    try {
      return fn(db);
    } catch (error) {
      const code = sqliteCode(error);
      if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
        throw shardUnavailable(shard.file, shard.index, 'damaged', (error as Error).message);
      }
      throw mapSqliteError(error, shard.file);
    }
  }

  protected override applySegmentUpdates(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    return this.lock.exclusive(async () => {
      this.run(() => this.assertWritable());
      const finders = new Map<number, (fileId: number, number: number) => CurrentSegment | undefined>();
      const plan = planSegmentUpdates(updates, (fileId, number) => {
        const shard = this.shards.shardFor(fileId);
        let find = finders.get(shard.index);
        if (!find) {
          const stmt = this.onShard(shard, (db) => db.prepare('SELECT state, message_id, uploaded_at FROM segments WHERE file_id = ? AND number = ?'));
          find = (f, n) => this.onShard(shard, () => stmt.get(f, n) as CurrentSegment | undefined);
          finders.set(shard.index, find);
        }
        return find(fileId, number);
      });
      if (plan.rows.length > 0) {
        const entry = this.run(() =>
          this.db
            .transaction(() => {
              this.moveSegmentCounters(plan.deltas);
              return Number(this.db.prepare('INSERT INTO segment_journal (payload) VALUES (?)').run(JSON.stringify(plan.rows)).lastInsertRowid);
            })
            .immediate(),
        );
        await this.applyJournalEntry(entry, plan.rows);
      }
      return { updated: plan.updated, notFound: plan.notFound };
    });
  }

  private async applyJournalEntry(entry: number, rows: PlannedSegment[]): Promise<void> {
    const byShard = groupByShard(this.shards, rows, (r) => r[0]);
    try {
      await this.shards.everyWriter((shard) => {
        const part = byShard.get(shard.index);
        return part ? { op: 'update', rows: part } : null;
      });
    } catch (error) {
      this.broken = new StrataError(
        'shard-unavailable',
        `Segment changes reached the catalog but not every shard (${(error as Error).message}). They are kept and applied when Strata next opens the catalog; restart it.`,
      );
      throw this.broken;
    }
    this.run(() => this.db.prepare('DELETE FROM segment_journal WHERE id = ?').run(entry));
  }

  private async replaySegmentJournal(): Promise<void> {
    if (this.shards.unavailable.length > 0) return;
    const entries = this.run(() => this.db.prepare('SELECT id, payload FROM segment_journal ORDER BY id').all() as { id: number; payload: string }[]);
    for (const e of entries) await this.applyJournalEntry(e.id, JSON.parse(e.payload) as PlannedSegment[]);
  }

  // ---- re-sharding --------------------------------------------------------------------

  /**
   * Moves the store from its current shard count to `target`, online: reads continue, while
   * imports and segment changes are refused with a `busy` error until it finishes. Only rows
   * whose shard changes are copied; both sides are fingerprinted before the map switches in
   * one catalog transaction; moved rows leave their old shards after the switch. Interrupted
   * before the switch, the next open discards the copies; after it, the next open finishes
   * the cleanup.
   */
  async reshard(target: number, options: ReshardOptions = {}): Promise<ReshardResult> {
    const to = checkShardCount(target);
    const started = performance.now();
    const from = this.shards.count;
    const progress: ReshardProgress = { phase: 'copy', from, to, scannedRows: 0, totalRows: 0, movedRows: 0, elapsedMs: 0 };
    const report = (phase: ReshardProgress['phase']): void => {
      progress.phase = phase;
      progress.elapsedMs = performance.now() - started;
      options.onProgress?.({ ...progress });
    };
    if (to === from) return { ...progress, phase: 'done', verified: true, movedShare: 0, expectedShare: 0 };
    const growing = to > from;
    // Jump hashing moves rows only into new shards when growing, and only out of removed ones when shrinking.
    const sources = growing ? range(0, from) : range(to, from);
    const version = await this.lock.exclusive(() =>
      this.run(() => {
        this.assertWritable();
        const v = this.state.mapVersion + 1;
        this.db.prepare("INSERT INTO shard_maps (version, shard_count, created_at, state) VALUES (?, ?, ?, 'copying')").run(v, to, Date.now());
        for (const i of range(from, to)) {
          fs.rmSync(this.shards.fileOf(i), { force: true });
          const shard = this.shards.add(i, true);
          if (shard.error) throw shard.error;
        }
        this.reshardingNotice = `The catalog is being re-sharded from ${from} to ${to} shards; imports and segment changes are paused until it finishes (reading works meanwhile).`;
        return v;
      }),
    );
    let switched = false;
    try {
      await this.collectGarbageWhileMoving();
      progress.totalRows = await this.lock.shared(() =>
        this.run(() => sources.reduce((n, i) => n + this.onShard(this.shards.shards[i] as Shard, (db) => (db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n), 0)),
      );
      report('copy');
      const sent = new Map<number, RowDigest>();
      const step = <T>(fn: () => T): Promise<T> => this.lock.shared(() => this.run(fn));
      let lastReport = 0;
      for (const i of sources) {
        await copyMovedRows({
          source: this.shards.shards[i] as Shard,
          shards: this.shards,
          targetCount: to,
          digests: sent,
          step,
          ...(options.signal ? { signal: options.signal } : {}),
          onRows: (p) => {
            progress.scannedRows += p.scanned;
            progress.movedRows += p.moved;
            if (performance.now() - lastReport > 250) {
              lastReport = performance.now();
              report('copy');
            }
          },
        });
      }
      report('verify');
      const targets = growing ? range(from, to) : range(0, to);
      for (const t of targets) {
        const arrived = await digestMovedIn(this.shards.shards[t] as Shard, this.shards, from, step);
        const expected = sent.get(t) ?? new RowDigest();
        if (!arrived.equals(expected)) {
          throw new StrataError('internal', `Re-sharding stopped: shard ${t} received ${arrived.toString()}, but ${expected.toString()} were sent. The store keeps its ${from} shards.`, { shard: t });
        }
      }
      await this.lock.exclusive(() =>
        this.run(() => {
          this.db.transaction(() => {
            this.db.prepare("UPDATE shard_maps SET state = 'retired' WHERE version = ?").run(this.state.mapVersion);
            this.db.prepare("UPDATE shard_maps SET state = 'cleanup' WHERE version = ?").run(version);
            this.db.prepare('UPDATE shard_state SET map_version = ?').run(version);
          }).immediate();
          this.state.mapVersion = version;
          this.shards.routed = to;
          this.capabilities.concurrentWriters = to;
          this.cleanupPending = true;
          switched = true;
        }),
      );
      report('cleanup');
      await this.finishCleanup(from, to);
      report('done');
      return {
        ...progress,
        phase: 'done',
        elapsedMs: performance.now() - started,
        verified: true,
        movedShare: progress.totalRows === 0 ? 0 : progress.movedRows / progress.totalRows,
        expectedShare: growing ? (to - from) / to : 1,
      };
    } catch (error) {
      if (!switched) await this.abandonResharding(from, to, version).catch(() => undefined);
      throw error;
    } finally {
      this.reshardingNotice = null;
    }
  }

  /** Dead files must be purged under the old map before rows start moving. */
  private async collectGarbageWhileMoving(): Promise<void> {
    const notice = this.reshardingNotice;
    await this.lock.exclusive(async () => {
      this.reshardingNotice = null;
      try {
        await this.collectGarbage();
      } finally {
        this.reshardingNotice = notice;
      }
    });
  }

  /** After the switch: moved rows leave their old shards (growing) or removed shards go (shrinking). */
  private async finishCleanup(from: number, to: number): Promise<void> {
    if (to > from) {
      for (const i of range(0, from)) await dropForeignRows(this.shards.shards[i] as Shard, this.shards, to, () => undefined);
    } else {
      await this.lock.exclusive(() => this.shards.dropFrom(to));
      for (const i of range(to, from)) fs.rmSync(this.shards.fileOf(i), { force: true });
      removeLeftoverShardFiles(this.location, to);
    }
    this.run(() => this.db.prepare("UPDATE shard_maps SET state = 'active' WHERE version = ?").run(this.state.mapVersion));
    this.cleanupPending = false;
  }

  /** Before the switch: copies are taken out of their targets and new shard files removed. */
  private async abandonResharding(from: number, to: number, version: number): Promise<void> {
    if (to > from) {
      await this.shards.dropFrom(from);
      for (const i of range(from, to)) fs.rmSync(this.shards.fileOf(i), { force: true });
    } else {
      for (const i of range(0, to)) await dropForeignRows(this.shards.shards[i] as Shard, this.shards, from, () => undefined);
    }
    this.run(() => this.db.prepare('DELETE FROM shard_maps WHERE version = ?').run(version));
  }

  /** At open: an interrupted re-sharding is undone (before its switch) or finished (after). */
  private async recoverResharding(): Promise<void> {
    if (this.shards.unavailable.length > 0) return;
    const copying = this.run(() => readCopyingMap(this.db));
    const from = this.shards.count;
    if (copying) await this.abandonResharding(from, copying.shardCount, copying.version);
    const active = this.run(() => readShardMap(this.db, this.state.mapVersion));
    if (active?.state === 'cleanup') {
      const previous = this.run(() =>
        this.db.prepare("SELECT shard_count FROM shard_maps WHERE version < ? AND state = 'retired' ORDER BY version DESC LIMIT 1").pluck().get(active.version),
      ) as number | undefined;
      this.cleanupPending = true;
      await this.finishCleanup(previous ?? active.shardCount, active.shardCount);
    }
    removeLeftoverShardFiles(this.location, this.shards.count);
  }

  // ---- migration target --------------------------------------------------------------

  /**
   * Catalog tables load through the tier-1 loader; segments go to their shards' writers in
   * parallel, replacing rows with the same key so a resent batch is harmless.
   */
  override async openLoader(): Promise<TableLoader> {
    const catalog = await this.lock.exclusive(() =>
      this.run(() => {
        this.assertWritable();
        return new SqliteTableLoader(this.db, {
          segments: (rows) =>
            this.lock.exclusive(async () => {
              const byShard = groupByShard(this.shards, rows, (r) => r.file_id as number);
              await this.shards.everyWriter((shard) => {
                const part = byShard.get(shard.index);
                if (!part) return null;
                const builder = new SegmentColumnsBuilder(part.length);
                for (const r of part) {
                  builder.addRow(r.file_id as number, r.number as number, r.bytes as number, r.state as number, r.hash as string | null, r.message_id as string | null, r.uploaded_at as number | null);
                }
                return { op: 'copy', columns: builder.take().columns };
              });
            }),
        });
      }),
    );
    return {
      load: (table, rows) => catalog.load(table, rows),
      finish: async () => {
        await catalog.finish();
        this.run(() =>
          this.db.prepare('UPDATE shard_state SET next_file_id = max(next_file_id, (SELECT coalesce(max(id), 0) + 1 FROM files))').run(),
        );
      },
    };
  }

  // ---- maintenance -------------------------------------------------------------------

  override streamTable(table: TableName, options: StreamTableOptions = {}): AsyncIterable<TableBatch> {
    if (table !== 'segments') return lockedIterable(super.streamTable(table, options), this.lock);
    return mergeShardSegments(
      () => this.run(() => this.shards.active().map((s) => ({ index: s.index, db: this.shards.reader(s) }))),
      options,
      (fn) => this.lock.shared(() => this.run(fn)),
      // Right after a re-sharding switch, rows that moved may still sit in their old shard too.
      () => (this.cleanupPending ? (index, fileId) => this.shards.indexOf(fileId) === index : null),
    );
  }

  /** Segments live in the shards, so they stream as rows (merged in key order); the catalog's tables as text. */
  override streamTableText(table: TableName, options: StreamTableOptions = {}): AsyncIterable<TextBatch> | null {
    const text = table === 'segments' ? null : super.streamTableText(table, options);
    return text ? lockedIterable(text, this.lock) : null;
  }

  override stats(options: { detailed?: boolean } = {}): Promise<StoreStats> {
    return this.lock.shared(() =>
      this.run(() => {
        const detailed = options.detailed === true;
        const stats = measureStats(this.db, this.location, this.schemaVersion, detailed, this.capabilities);
        stats.dbBytes = sqliteFileBytes(this.catalogFile) + this.shards.shards.reduce((n, s) => n + sqliteFileBytes(s.file), 0);
        if (detailed) {
          const tables = (stats.tables ?? []).filter((t) => t.name !== 'segments');
          let segmentBytes = 0;
          const shards: ShardSize[] = this.shards.active().map((s) => {
            const size: ShardSize = { index: s.index, file: path.basename(s.file), bytes: sqliteFileBytes(s.file), segments: null };
            try {
              this.onShard(s, (db) => {
                size.segments = (db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n;
                segmentBytes += tableSizes(db).find((t) => t.name === 'segments')?.bytes ?? 0;
              });
            } catch (error) {
              size.problem = (error as Error).message;
            }
            return size;
          });
          tables.push({ name: 'segments', bytes: segmentBytes });
          stats.tables = tables.sort((a, b) => b.bytes - a.bytes);
          stats.shards = shards;
        }
        return stats;
      }),
    );
  }

  override checkIntegrity(): Promise<IntegrityReport> {
    return this.lock.shared(() =>
      this.run(() => checkShardedIntegrity(this.db, this.shards, { committedEpoch: this.state.committedEpoch, moving: this.reshardingNotice !== null })),
    );
  }

  override repair(): Promise<RepairReport> {
    return this.lock.exclusive(async () => {
      this.run(() => {
        if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
        this.shards.requireAll();
      });
      // Removed files' rows first, so only true orphans remain to be found.
      await this.collectGarbage();
      try {
        return await repairShardedStore(this.db, this.shards, this.catalogFile);
      } catch (error) {
        throw mapSqliteError(error, this.catalogFile);
      }
    });
  }

  override backup(destination: string, options: { onProgress?: (p: BackupProgress) => void } = {}): Promise<BackupResult> {
    if (typeof destination !== 'string' || destination === '') return Promise.reject(invalidArgument('A backup needs a destination folder.'));
    return this.lock.shared(async () => {
      this.run(() => this.shards.requireAll());
      if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
      return backupShardedStore(this.db, this.shards, destination, options.onProgress);
    });
  }
}

const range = (start: number, end: number): number[] => Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);

/** Shard files beyond the routed count left by a shrink or an abandoned grow that a crash cut short. */
function removeLeftoverShardFiles(dir: string, routed: number): void {
  for (const name of fs.readdirSync(dir)) {
    const match = /^shard-(\d{3})\.db(-wal|-shm)?$/u.exec(name);
    if (match && Number(match[1]) >= routed) fs.rmSync(path.join(dir, name), { force: true });
  }
}

export function groupByShard<T>(shards: ShardSet, items: readonly T[], fileIdOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const index = shards.indexOf(fileIdOf(item));
    const list = groups.get(index);
    if (list) list.push(item);
    else groups.set(index, [item]);
  }
  return groups;
}

/** Each step of an inherited table stream runs under the read lock. */
async function* lockedIterable<T>(source: AsyncIterable<T>, lock: RwLock): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await lock.shared(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
