/**
 * The segment shards of a sharded store as the catalog thread sees them: for each shard a
 * read connection (reads run here, beside the writers, under WAL) and a writer thread. A shard
 * that cannot be opened stays in the set as its error, so the others keep working.
 */
import path from 'node:path';
import type { StrataError } from '../../../../shared/errors';
import type { SqliteDatabase, SqliteTuning } from '../sqlite/open-database';
import { shardOf } from './jump-hash';
import { registerShardOf } from './jump-hash-sql';
import { createShardFile, openShardFile, shardFileName } from './shard-file';
import { ShardWriter } from './shard-writer';

export interface Shard {
  index: number;
  file: string;
  reader: SqliteDatabase | null;
  writer: ShardWriter | null;
  error: StrataError | null;
}

/**
 * Each shard has two connections (reader, writer); their caches are smaller than a one-file
 * catalog's because there are several of them and each holds only its share of the rows.
 */
export const SHARD_TUNING: SqliteTuning = { cacheMiB: 16, mmapMiB: 128, busyTimeoutMs: 5000 };

export class ShardSet {
  /**
   * How many shards the active map routes to. While a re-sharding fills new shards, `shards`
   * holds more than this; after a shrink, fewer are routed until the old files are removed.
   */
  routed = 0;

  private constructor(
    readonly dir: string,
    readonly storeUid: string,
    readonly shards: Shard[],
    private readonly tuning: SqliteTuning,
    /** A read-only folder: readers only, no writer threads (nothing may be written). */
    private readonly readOnly = false,
  ) {}

  get count(): number {
    return this.routed;
  }

  /** The shards the active map routes to, in index order. */
  active(): Shard[] {
    return this.shards.slice(0, this.routed);
  }

  /** Opens shards 0..count-1 (creating the ones listed in `create`). */
  static open(dir: string, storeUid: string, count: number, tuning: SqliteTuning, create: Iterable<number> = [], readOnly = false): ShardSet {
    const set = new ShardSet(dir, storeUid, [], tuning, readOnly);
    const toCreate = new Set(create);
    for (let index = 0; index < count; index++) set.shards.push(set.openShard(index, toCreate.has(index)));
    set.routed = count;
    return set;
  }

  fileOf(index: number): string {
    return path.join(this.dir, shardFileName(index));
  }

  /** Opens one more shard (re-sharding to a larger count). */
  add(index: number, create: boolean): Shard {
    const shard = this.openShard(index, create);
    this.shards[index] = shard;
    return shard;
  }

  private openShard(index: number, create: boolean): Shard {
    const file = this.fileOf(index);
    const identity = { index, storeUid: this.storeUid };
    try {
      if (this.readOnly) {
        const reader = openShardFile(file, identity, this.tuning, true);
        registerShardOf(reader);
        return { index, file, reader, writer: null, error: null };
      }
      if (create) createShardFile(file, identity, this.tuning);
      const reader = openShardFile(file, identity, this.tuning);
      // The reader never writes; query_only makes that a guarantee rather than a habit.
      reader.pragma('query_only = ON');
      registerShardOf(reader);
      const writer = new ShardWriter({ file, index, tuning: this.tuning, storeUid: this.storeUid }, `shard ${index}`);
      return { index, file, reader, writer, error: null };
    } catch (error) {
      if ((error as StrataError).code === 'shard-unavailable') return { index, file, reader: null, writer: null, error: error as StrataError };
      throw error;
    }
  }

  indexOf(fileId: number): number {
    return shardOf(fileId, this.routed);
  }

  shardFor(fileId: number): Shard {
    return this.shards[this.indexOf(fileId)] as Shard;
  }

  /** The read connection of a shard, or its error. */
  reader(shard: Shard): SqliteDatabase {
    if (!shard.reader) throw shard.error as StrataError;
    return shard.reader;
  }

  writer(shard: Shard): ShardWriter {
    if (!shard.writer) throw shard.error as StrataError;
    return shard.writer;
  }

  /** Writes that span shards need every shard: the first unavailable one is the reason not to start. */
  requireAll(): void {
    for (const shard of this.active()) if (shard.error) throw shard.error;
  }

  get unavailable(): Shard[] {
    return this.active().filter((s) => s.error !== null);
  }

  /** Sends one command to every shard's writer in parallel and waits for all of them. */
  async everyWriter<T>(command: (shard: Shard) => Parameters<ShardWriter['request']>[0] | null): Promise<T[]> {
    this.requireAll();
    const results = await Promise.allSettled(
      this.active().map((shard) => {
        const c = command(shard);
        return c ? this.writer(shard).request<T>(c) : Promise.resolve(undefined as T);
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    return results.map((r) => (r as PromiseFulfilledResult<T>).value);
  }

  /** Closes and forgets the shards from `from` on (after a shrink, or an abandoned grow). */
  async dropFrom(from: number): Promise<void> {
    const dropped = this.shards.splice(from);
    await Promise.all(dropped.map((s) => this.closeShard(s)));
  }

  async closeShard(shard: Shard): Promise<void> {
    shard.reader?.close();
    shard.reader = null;
    const writer = shard.writer;
    shard.writer = null;
    await writer?.close();
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => this.closeShard(s)));
  }
}
