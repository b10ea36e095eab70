/**
 * Tier 2's core: a catalog file (collections, folders, files, search, NZB sources: the one-file
 * core and schema) plus N segment shard files, each written by its own thread. Composed, not
 * inherited: the catalog is a `SqliteCore` whose segments live in the shards
 * (sharded-segments.ts), and the store wraps this core in its lock (sharded-locks.ts).
 *
 * Consistency across files rests on three rules: ingest epochs and the segment journal
 * (sharded-segments.ts), and catalog-only removals: a removed file goes to `dead_files` in the
 * same transaction, and its segments are purged from the shard afterwards (again at open, if a
 * crash intervened). File ids are never reused, so a dead file's leftover rows can never be
 * mistaken for a new one's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { ShardSize } from '../../../../shared/results';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../../../../shared/domain';
import type { AppendResult, BackupProgress, BackupResult, IntegrityReport, OnExisting, RepairReport, ResolvedPath, SegmentAppend, SegmentUpdate, StoreCapabilities, StoreStats, StreamTableOptions, TableBatch, TextBatch, TableLoader, TableName, UpdateSegmentsResult, ReshardOptions, ReshardProgress, ReshardResult } from '../../store';
import type { EngineCore, FilePageQuery, FolderPageQuery, IngestSession, NewCollection, SearchPageQuery, SegmentPageQuery, SourceLookup } from '../../store-front/engine-core';
import type { SqliteDatabase } from '../sqlite/open-database';
import { SqliteCore } from '../sqlite/sqlite-core';
import { SqliteTableLoader } from '../sqlite/sqlite-table-loader';
import { SegmentColumnsBuilder } from './segment-columns';
import { measureStats, sqliteFileBytes, tableSizes } from '../sqlite/sqlite-maintenance';
import { mapSqliteError, sqliteCode } from '../sqlite/sqlite-errors';
import { groupByShard } from './group-by-shard';
import { lockedIterable } from './locked-core';
import { mergeShardSegments } from './merged-segment-stream';
import { readCopyingMap, readShardMap, type ShardState } from './sharded-catalog';
import { copyMovedRows, digestMovedIn, dropForeignRows } from './reshard-copy';
import { RowDigest } from '../../migration/rows/row-digest';
import { backupShardedStore, checkShardedIntegrity, repairShardedStore } from './sharded-maintenance';
import { shardUnavailable } from './shard-file';
import { RwLock } from './rw-lock';
import { ShardedSegments, type ShardedCatalog } from './sharded-segments';
import type { ShardedSearch } from './sharded-search';
import type { Shard, ShardSet } from './shard-set';

export const SHARDED_CATALOG_FILE = 'catalog.db';
export const MAX_SHARD_COUNT = 256;

/** Dead files purged per round, so one round's messages stay small. */
const PURGE_CHUNK = 5_000;

export function checkShardCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SHARD_COUNT) {
    throw invalidArgument(`A shard count is a whole number from 1 to ${MAX_SHARD_COUNT}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export class ShardedCore implements EngineCore, ShardedCatalog {
  readonly backupLayout = 'folder';
  readonly capabilities: StoreCapabilities = {
    engine: 'sharded',
    tier: 2,
    concurrentWriters: 1,
    fileBacked: true,
    onlineBackup: true,
    fullText: 'fts5',
  };
  readonly lock = new RwLock();
  readonly catalog: SqliteCore;
  private readonly segments: ShardedSegments;
  /** Set while a re-sharding copies rows: writes that touch shards are refused meanwhile. */
  private reshardingNotice: string | null = null;
  /** Between a re-sharding's switch and the end of its cleanup, old shards still hold moved rows. */
  private cleanupPending = false;
  /** Set when a shard could not take back a failed batch: writes stop until the next open repairs it. */
  private broken: StrataError | null = null;

  /** `shards` and `state` are read from the catalog by the opener (sharded-store.ts). */
  constructor(
    private readonly db: SqliteDatabase,
    readonly location: string,
    schemaVersion: number,
    readOnly: boolean,
    readonly shards: ShardSet,
    readonly state: ShardState,
    readonly searchFile: ShardedSearch,
  ) {
    let segments: ShardedSegments | undefined;
    this.catalog = new SqliteCore(db, location, schemaVersion, readOnly, (catalog) => (segments = new ShardedSegments(catalog, this)), this.capabilities);
    this.segments = segments as ShardedSegments;
    this.capabilities.concurrentWriters = readOnly ? 0 : shards.count;
  }

  get catalogFile(): string {
    return path.join(this.location, SHARDED_CATALOG_FILE);
  }

  get shardCount(): number {
    return this.shards.count;
  }

  private get closed(): boolean {
    return this.catalog.closed;
  }

  private run<T>(fn: () => T): T {
    return this.catalog.run(fn);
  }

  mapError(error: unknown): unknown {
    return this.catalog.mapError(error);
  }

  stopWrites(error: StrataError): void {
    this.broken = error;
  }

  /** Repairs what a crash may have left between the catalog and the shards. */
  async recover(): Promise<void> {
    const committed = this.state.committedEpoch;
    const writers = this.shards.shards.flatMap((s) => (s.writer ? [s.writer] : []));
    await Promise.all(writers.map((w) => w.request({ op: 'undo', after: committed })));
    this.segments.startEpochsAfter(committed);
    await this.recoverResharding();
    await this.segments.replayJournal();
    await this.catalog.finishPendingDeletes();
    await this.searchFile.recover(this.db);
    await this.collectGarbage();
  }

  // ---- entry points: their locks are in sharded-locks.ts ----------------------------

  createCollection(input: NewCollection): Promise<Collection> {
    return this.catalog.createCollection(input);
  }
  listCollections(): Promise<Collection[]> {
    return this.catalog.listCollections();
  }
  getCollection(id: number): Promise<Collection> {
    return this.catalog.getCollection(id);
  }
  findCollectionByName(name: string): Promise<Collection | null> {
    return this.catalog.findCollectionByName(name);
  }
  renameCollection(id: number, name: string): Promise<Collection> {
    return this.catalog.renameCollection(id, name);
  }
  async deleteCollection(id: number): Promise<void> {
    // A delete while a shard is away could not purge that shard's rows; refused, so nothing
    // is left behind to come back as orphans with the shard.
    await this.lock.shared(() => {
      this.run(() => this.shards.requireAll());
      return this.catalog.deleteCollection(id);
    });
    await this.purgeRemovedFiles();
  }
  listFolders(query: FolderPageQuery): Promise<Page<Folder>> {
    return this.catalog.listFolders(query);
  }
  resolvePath(collectionId: number, relPath: string): Promise<ResolvedPath | null> {
    return this.catalog.resolvePath(collectionId, relPath);
  }
  listFiles(query: FilePageQuery): Promise<Page<FileEntry>> {
    return this.catalog.listFiles(query);
  }
  getFile(fileId: number): Promise<FileDetail> {
    return this.catalog.getFile(fileId);
  }
  findFilesByName(collectionId: number, name: string): Promise<FileEntry[]> {
    return this.catalog.findFilesByName(collectionId, name);
  }
  getSegments(query: SegmentPageQuery): Promise<Segment[]> {
    return this.catalog.getSegments(query);
  }
  updateSegments(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    return this.catalog.updateSegments(updates);
  }
  updateFileMtimes(updates: { fileId: number; mtime: number }[]): Promise<number> {
    return this.catalog.updateFileMtimes(updates);
  }
  getNzbSource(collectionId: number, key: SourceLookup): Promise<NzbSource | null> {
    return this.catalog.getNzbSource(collectionId, key);
  }
  finishNzbSource(sourceId: number, dupeKey: string): Promise<NzbSource> {
    return this.catalog.finishNzbSource(sourceId, dupeKey);
  }
  async deleteFiles(fileIds: number[]): Promise<{ files: number; segments: number }> {
    const removed = await this.lock.shared(() => {
      this.run(() => this.assertWritable());
      return this.catalog.deleteFiles(fileIds);
    });
    await this.purgeRemovedFiles();
    return removed;
  }
  async removeNzbSource(sourceId: number): Promise<{ files: number; segments: number } | null> {
    const removed = await this.lock.shared(() => {
      this.run(() => this.shards.requireAll());
      return this.catalog.removeNzbSource(sourceId);
    });
    await this.purgeRemovedFiles();
    return removed;
  }
  /** On the search file's own connection; a read-only folder without one searches the catalog's index. */
  search(query: SearchPageQuery): Promise<SearchPage> {
    const page = this.run(() => this.searchFile.search(query));
    return page ? Promise.resolve(page) : this.catalog.search(query);
  }

  /** The catalog's own index serves only a read-only folder that has no search file. */
  private get fullTextInCatalog(): boolean {
    return this.catalog.readOnly && this.searchFile.connection === null;
  }

  async close(): Promise<void> {
    await this.shards.close();
    await this.searchFile.close();
    await this.catalog.close();
  }

  // ---- ingest ------------------------------------------------------------------------

  /** Each batch holds the lock alone while it writes (sharded-segments.ts). */
  async startIngest(collectionId: number, onExisting: OnExisting): Promise<IngestSession> {
    const session = await this.catalog.startIngest(collectionId, onExisting);
    return {
      ...session,
      release: async () => {
        // An import's files are searchable when it returns: the search file commits each batch
        // after the catalog, without the batch waiting for it, so the end waits once.
        await this.settleSearch();
        // Files replaced by the ingest left their segments behind in the shards.
        await this.purgeRemovedFiles();
      },
    };
  }

  appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    return this.catalog.appendSegments(fileId, part);
  }

  assertWritable(): void {
    if (this.broken) throw this.broken;
    if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
    this.shards.requireAll();
  }

  /** Waits for the search file's writer; a batch it could not commit is indexed from the catalog at once. */
  private async settleSearch(): Promise<void> {
    if (this.closed) return;
    try {
      await this.searchFile.settle();
    } catch {
      await this.lock.exclusive(() => this.searchFile.catchUp()).catch(() => undefined);
    }
  }

  // ---- removed files -----------------------------------------------------------------

  private async purgeRemovedFiles(): Promise<void> {
    if (this.closed) return;
    try {
      await this.lock.exclusive(() => this.collectGarbage());
    } catch {
      // The rows stay listed in dead_files and invisible; the next purge or open retries.
    }
  }

  /** Purges the segments of removed files from their shards, then forgets the files. */
  private async collectGarbage(): Promise<void> {
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
      await this.searchFile.purge(ids);
      this.run(() => this.db.transaction(() => ids.forEach((id) => forget.run(id))).immediate());
    }
  }

  /** Runs a read on a shard, naming that shard in any storage error. */
  onShard<T>(shard: Shard, fn: (db: SqliteDatabase) => T): T {
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

  // ---- re-sharding --------------------------------------------------------------------

  /**
   * Moves the store from its current shard count to `target`, online: reads continue, while
   * imports and segment changes are refused with a `busy` error until it finishes. Only rows
   * whose shard changes are copied; both sides are fingerprinted before the map switches in
   * one catalog transaction; moved rows leave their old shards after the switch. Interrupted
   * before the switch, the next open discards the copies; after it, the next open finishes
   * the cleanup.
   */
  async reshard(target: number, options: ReshardOptions): Promise<ReshardResult> {
    const to = checkShardCount(target);
    const started = performance.now();
    const from = this.shards.count;
    const progress: ReshardProgress = { phase: 'copy', from, to, scannedRows: 0, totalRows: 0, movedRows: 0, elapsedMs: 0 };
    const report = (phase: ReshardProgress['phase']): void => {
      progress.phase = phase;
      progress.elapsedMs = performance.now() - started;
      if (!options.onProgress) return;
      const rate = progress.elapsedMs > 0 ? Math.round((progress.scannedRows / progress.elapsedMs) * 1000) : 0;
      options.onProgress({
        phase,
        table: 'segments',
        rows: progress.scannedRows,
        totalRows: progress.totalRows,
        // Nothing leaves the machine and the bar counts rows: bytes are not measured here.
        bytes: 0,
        rowsPerSecond: rate,
        etaMs: rate > 0 && phase === 'copy' ? ((progress.totalRows - progress.scannedRows) / rate) * 1000 : null,
        elapsedMs: progress.elapsedMs,
      });
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
  async openLoader(): Promise<TableLoader> {
    const catalog = this.run(() => {
      this.assertWritable();
      return new SqliteTableLoader(this.db, {
        // Indexed into the search file once every table is in (finish, below).
        fullText: false,
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
    });
    return {
      load: (table, rows) => catalog.load(table, rows),
      finish: async () => {
        await catalog.finish();
        this.run(() =>
          this.db.prepare('UPDATE shard_state SET next_file_id = max(next_file_id, (SELECT coalesce(max(id), 0) + 1 FROM files))').run(),
        );
        await this.searchFile.rebuild();
      },
    };
  }

  // ---- maintenance -------------------------------------------------------------------

  streamTable(table: TableName, options: StreamTableOptions): AsyncIterable<TableBatch> {
    if (table !== 'segments') return lockedIterable(this.catalog.streamTable(table, options), this.lock);
    return mergeShardSegments(
      () => this.run(() => this.shards.active().map((s) => ({ index: s.index, db: this.shards.reader(s) }))),
      options,
      (fn) => this.lock.shared(() => this.run(fn)),
      // Right after a re-sharding switch, rows that moved may still sit in their old shard too.
      () => (this.cleanupPending ? (index, fileId) => this.shards.indexOf(fileId) === index : null),
    );
  }

  /** Segments live in the shards, so they stream as rows (merged in key order); the catalog's tables as text. */
  streamTableText(table: TableName, options: StreamTableOptions): AsyncIterable<TextBatch> | null {
    return table === 'segments' ? null : this.catalog.streamTableText(table, options);
  }

  async stats(detailed: boolean): Promise<StoreStats> {
    return this.run(() => {
      const stats = measureStats(this.db, this.location, this.catalog.schemaVersion, detailed, this.capabilities);
      stats.dbBytes = sqliteFileBytes(this.catalogFile) + this.searchFile.bytes + this.shards.shards.reduce((n, s) => n + sqliteFileBytes(s.file), 0);
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
    });
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    const report = this.run(() =>
      checkShardedIntegrity(this.db, this.shards, { committedEpoch: this.state.committedEpoch, moving: this.reshardingNotice !== null, fullText: this.fullTextInCatalog }),
    );
    if (this.fullTextInCatalog) return report;
    const problems = [...report.problems, ...(await this.searchFile.problems().catch((error: unknown) => [`full-text index: ${(error as Error).message}`]))];
    return { ok: problems.length === 0, problems, checkedMs: report.checkedMs };
  }

  async repair(): Promise<RepairReport> {
    this.run(() => {
      if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
      this.shards.requireAll();
    });
    // Removed files' rows first, so only true orphans remain to be found.
    await this.collectGarbage();
    let report: RepairReport;
    try {
      report = await repairShardedStore(this.db, this.shards, this.catalogFile);
    } catch (error) {
      throw mapSqliteError(error, this.catalogFile);
    }
    // The search file holds nothing the catalog does not: any problem is mended by indexing anew.
    const problems = await this.searchFile.problems().catch(() => ['unreadable']);
    if (problems.length > 0) {
      await this.searchFile.rebuild();
      report.fullTextRebuilt = true;
    }
    return report;
  }

  async backup(destination: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    this.run(() => this.shards.requireAll());
    if (this.reshardingNotice) throw new StrataError('busy', this.reshardingNotice);
    // The search file as its writer last committed it; should it lag, the restored store's open catches it up.
    await this.searchFile.settle().catch(() => undefined);
    return backupShardedStore(this.db, this.shards, destination, onProgress, this.searchFile.connection);
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
