/**
 * Where tier 2's catalog keeps segments: in the shard files (a `SegmentHome` for the one-file
 * core that holds the catalog). Two of the tier's consistency rules live here:
 * - Ingest epochs: a batch's segments are written and committed in the shards first, each shard
 *   recording the epoch and the file-id range it wrote; the catalog transaction holding the
 *   batch's files commits last and records the epoch. At open, a shard's epochs above the
 *   catalog's are taken back. A batch is thus in every file or in none.
 * - Segment updates commit their counters with a journal entry of final values in the catalog,
 *   then apply to the shards, then clear the entry; an entry found at open is applied again.
 */
import type Database from 'better-sqlite3';
import { StrataError } from '../../../../shared/errors';
import { planSegmentUpdates, type CurrentSegment, type PlannedSegment } from '../../segment-update-plan';
import type { SegmentUpdate, UpdateSegmentsResult } from '../../store';
import type { SqliteDatabase } from '../sqlite/open-database';
import { mapSqliteError } from '../sqlite/sqlite-errors';
import type { SegmentHome, SqliteCore } from '../sqlite/sqlite-core';
import type { IngestWriterHooks, SqliteIngestWriter } from '../sqlite/sqlite-ingest';
import type { SegmentRow } from '../sqlite/sqlite-rows';
import { EpochSink } from './epoch-sink';
import type { SearchSink } from './search-sink';
import type { ShardedSearch } from './sharded-search';
import { groupByShard } from './group-by-shard';
import type { RwLock } from './rw-lock';
import { readShardState, type ShardState } from './sharded-catalog';
import type { Shard, ShardSet } from './shard-set';

/**
 * Fault injection for the crash tests only: kill the process after the shards committed the
 * n-th batch of this process and before the catalog did. Unset in normal use.
 */
const CRASH_AFTER_SHARD_COMMIT = Number(process.env.STRATA_CRASH_AFTER_SHARD_COMMIT ?? 0);
/** Likewise: kill after the catalog committed the n-th batch and before the search file was sent its commit. */
const CRASH_BEFORE_SEARCH_COMMIT = Number(process.env.STRATA_CRASH_BEFORE_SEARCH_COMMIT ?? 0);

/** What the segments need of the sharded core around them. */
export interface ShardedCatalog {
  readonly lock: RwLock;
  readonly shards: ShardSet;
  readonly state: ShardState;
  readonly catalogFile: string;
  /** The full-text index's own file and writer (sharded-search.ts). */
  readonly searchFile: ShardedSearch;
  /** Throws while writes that touch shards are refused (a shard away, a re-sharding, a failed take-back). */
  assertWritable(): void;
  /** Stops writes until the next open repairs what `error` describes. */
  stopWrites(error: StrataError): void;
  onShard<T>(shard: Shard, fn: (db: SqliteDatabase) => T): T;
}

export class ShardedSegments implements SegmentHome {
  readonly writerHooks: IngestWriterHooks;
  private nextEpoch = 1;
  /** The first epoch of this process, for the crash test hook. */
  private firstEpoch = 1;
  private nextFileId = 1;
  private sink: EpochSink | null = null;
  private searchSink: SearchSink | null = null;
  private readonly segmentReads = new WeakMap<SqliteDatabase, Database.Statement<[number, number, number]>>();

  constructor(
    private readonly core: SqliteCore,
    private readonly owner: ShardedCatalog,
  ) {
    this.writerHooks = {
      writeSegments: (fileId, segments, states) => {
        if (!this.sink) throw new Error('segments written outside an ingest epoch');
        this.sink.add(fileId, segments, states);
      },
      allocateFileId: () => this.nextFileId++,
      writeSearchRow: (fileId, name, folder, subject) => {
        if (!this.searchSink) throw new Error('search rows written outside an ingest epoch');
        this.searchSink.add(fileId, name, folder, subject);
      },
    };
  }

  /** At open, after the shards took back what the catalog never committed. */
  startEpochsAfter(committed: number): void {
    this.nextEpoch = committed + 1;
    this.firstEpoch = this.nextEpoch;
  }

  /**
   * A write of the ingest writer (a batch, or segments appended to an open file) in one epoch.
   * An appended file's epoch records that file's id, so taking the epoch back removes all of
   * its segments, not only the appended ones: acceptable because only a file of a pending NZB
   * source is ever appended to, and a failed or interrupted import removes that source whole.
   * The catalog transaction stays open while the shards commit (an await), so the write holds
   * the store's lock alone.
   */
  writeWith<T>(writer: SqliteIngestWriter, write: () => T): Promise<T> {
    const { db } = this.core;
    return this.owner.lock.exclusive(async () => {
      this.core.run(() => this.owner.assertWritable());
      const sink = new EpochSink(this.owner.shards, this.nextEpoch++);
      this.sink = sink;
      const searchSink = this.owner.searchFile.sink();
      this.searchSink = searchSink;
      try {
        const outcome = this.core.run(() => {
          this.nextFileId = readShardState(db).nextFileId;
          db.exec('BEGIN IMMEDIATE');
          return write();
        });
        await sink.commit();
        if (CRASH_AFTER_SHARD_COMMIT === sink.epoch - this.firstEpoch + 1) process.kill(process.pid, 'SIGKILL');
        this.core.run(() => {
          db.prepare('UPDATE shard_state SET committed_epoch = ?, next_file_id = ?').run(sink.epoch, this.nextFileId);
          db.exec('COMMIT');
        });
        this.owner.state.committedEpoch = sink.epoch;
        if (CRASH_BEFORE_SEARCH_COMMIT === sink.epoch - this.firstEpoch + 1) process.kill(process.pid, 'SIGKILL');
        // Only now, and without waiting: the search file commits after the catalog (search-file.ts).
        this.searchSink = null;
        searchSink?.commit(this.nextFileId - 1);
        return outcome;
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        if (this.searchSink) searchSink?.abort();
        writer.forgetUncommitted();
        try {
          await sink.abort();
        } catch (abortError) {
          this.owner.stopWrites(
            new StrataError(
              'shard-unavailable',
              `A failed batch could not be taken back from every shard (${(abortError as Error).message}). Imports are stopped; restart Strata to repair the catalog.`,
            ),
          );
        }
        throw mapSqliteError(error, this.owner.catalogFile);
      } finally {
        this.sink = null;
        this.searchSink = null;
      }
    });
  }

  /** Removals are catalog-only: the file's segments are purged from its shard afterwards (sharded-core.ts). */
  forgetSegments(fileId: number): void {
    this.core.db.prepare('INSERT OR IGNORE INTO dead_files (file_id) VALUES (?)').run(fileId);
  }

  readSegments(fileId: number, after: number, limit: number): SegmentRow[] {
    const shard = this.owner.shards.shardFor(fileId);
    return this.owner.onShard(shard, (db) => {
      // The hot read of the tier: one prepared statement per shard connection, kept.
      let stmt = this.segmentReads.get(db);
      if (!stmt) {
        stmt = db.prepare('SELECT file_id, number, bytes, state, hash, message_id, uploaded_at FROM segments WHERE file_id = ? AND number > ? ORDER BY number LIMIT ?');
        this.segmentReads.set(db, stmt);
      }
      return stmt.all(fileId, after, limit) as SegmentRow[];
    });
  }

  highestSegmentNumber(fileId: number): number {
    const row = this.owner.onShard(this.owner.shards.shardFor(fileId), (db) =>
      db.prepare('SELECT max(number) AS n FROM segments WHERE file_id = ?').get(fileId) as { n: number | null },
    );
    return row.n ?? 0;
  }

  /** Runs under the store's lock held alone (sharded-locks.ts). */
  async applySegmentUpdates(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    const { shards } = this.owner;
    this.core.run(() => this.owner.assertWritable());
    const finders = new Map<number, (fileId: number, number: number) => CurrentSegment | undefined>();
    const plan = planSegmentUpdates(updates, (fileId, number) => {
      const shard = shards.shardFor(fileId);
      let find = finders.get(shard.index);
      if (!find) {
        const stmt = this.owner.onShard(shard, (db) => db.prepare('SELECT state, message_id, uploaded_at FROM segments WHERE file_id = ? AND number = ?'));
        find = (f, n) => this.owner.onShard(shard, () => stmt.get(f, n) as CurrentSegment | undefined);
        finders.set(shard.index, find);
      }
      return find(fileId, number);
    });
    if (plan.rows.length > 0) {
      const { db } = this.core;
      const entry = this.core.run(() =>
        db
          .transaction(() => {
            this.core.moveSegmentCounters(plan.deltas);
            return Number(db.prepare('INSERT INTO segment_journal (payload) VALUES (?)').run(JSON.stringify(plan.rows)).lastInsertRowid);
          })
          .immediate(),
      );
      await this.applyJournalEntry(entry, plan.rows);
    }
    return { updated: plan.updated, notFound: plan.notFound };
  }

  private async applyJournalEntry(entry: number, rows: PlannedSegment[]): Promise<void> {
    const byShard = groupByShard(this.owner.shards, rows, (r) => r[0]);
    try {
      await this.owner.shards.everyWriter((shard) => {
        const part = byShard.get(shard.index);
        return part ? { op: 'update', rows: part } : null;
      });
    } catch (error) {
      const broken = new StrataError(
        'shard-unavailable',
        `Segment changes reached the catalog but not every shard (${(error as Error).message}). They are kept and applied when Strata next opens the catalog; restart it.`,
      );
      this.owner.stopWrites(broken);
      throw broken;
    }
    this.core.run(() => this.core.db.prepare('DELETE FROM segment_journal WHERE id = ?').run(entry));
  }

  /** At open: segment changes the catalog journaled but a shard may have missed. */
  async replayJournal(): Promise<void> {
    if (this.owner.shards.unavailable.length > 0) return;
    const entries = this.core.run(() => this.core.db.prepare('SELECT id, payload FROM segment_journal ORDER BY id').all() as { id: number; payload: string }[]);
    for (const e of entries) await this.applyJournalEntry(e.id, JSON.parse(e.payload) as PlannedSegment[]);
  }
}
