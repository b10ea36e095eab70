/**
 * The PGlite driver: PostgreSQL compiled to WASM, running in this process on a data folder.
 *
 * PGlite is a single connection. Every top-level call goes through one SerialQueue, and a
 * transaction keeps the queue for its whole length, so nothing from outside can slip into an
 * open transaction (and be committed or rolled back with it). PGlite 0.5 locks around its own
 * transactions too; the queue does not depend on that, and it also orders what PGlite does not
 * lock: close (after queued work) and the folder-size walk. Bulk loads use COPY FROM
 * '/dev/blob', PGlite's way to feed COPY from memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StrataError } from '../../../../shared/errors';
import type { CopyData, PgDriver, PgParam, PgQueryable, PgResult, TransactionOptions } from './pg-driver';
import { inspectPgliteDataDir, lockDataDir } from './pglite-data-dir';
import { SerialQueue } from './serial-queue';
import { causeText, isDiskFullError } from '../../error-cause';
import { freeDiskBytes } from '../../free-disk';
import { formatBytes } from '../../../../shared/format';

/** The slice of PGlite's API this driver uses. */
interface PgliteResults {
  rows: unknown[];
  affectedRows?: number;
}
/**
 * What PGlite reads COPY input from: it calls `arrayBuffer()` once per statement and reads the
 * bytes from it. A Blob would copy the data twice (into the Blob, then out of it) and keeps its
 * copy outside the JavaScript heap, where the collector does not see it grow: 1M segments left
 * hundreds of MB of dead Blobs behind (docs/benchmarks.md, "PGlite memory").
 */
interface CopySource {
  arrayBuffer(): Promise<ArrayBuffer>;
}
interface PgliteQueryOptions {
  blob?: CopySource;
}
interface PgliteTx {
  query(sql: string, params?: unknown[], options?: PgliteQueryOptions): Promise<PgliteResults>;
  exec(sql: string): Promise<unknown>;
}
interface PgliteDb extends PgliteTx {
  transaction<T>(fn: (tx: PgliteTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly Module: { NODEFS?: { stream_ops?: NodeFsStreamOps } };
}
/** Emscripten's NODEFS stream operations; an open stream carries the real file descriptor. */
interface NodeFsStreamOps {
  fsync?: (stream: { nfd?: number }) => number;
}

/**
 * PGlite's WebAssembly heap never shrinks, so what PostgreSQL allocates once stays in the
 * process. shared_buffers is most of it: the default 128 MB made a 226 MB heap, 32 MB keeps it
 * at the 128 MB PGlite starts with, and the ingest rate did not move (300,000 segments,
 * alternately: 5,114 segments/s with 128 MB, 5,290 with 32 MB; the OS page cache still caches
 * the files). max_wal_size bounds the write-ahead log the folder keeps: with the default 1 GB a
 * large import left 670 MB of WAL beside 440 MB of tables at 2M segments. In PGlite it takes
 * effect only through the driver's own checkpoints (checkpointIfWalGrew), which then keep about
 * this much for reuse. docs/benchmarks.md, "PGlite memory and size".
 */
const PGLITE_MEMORY_PARAMS: readonly string[] = ['-c', 'shared_buffers=32MB', '-c', 'max_wal_size=256MB', '-c', 'min_wal_size=32MB'];

/**
 * PGlite starts PostgreSQL with `-F` (fsync off) by default: a power cut or an OS crash could
 * then lose commits, including the one that ends a migration into it. The same options without
 * `-F`, and fsync stated explicitly so `SHOW fsync` can prove it (pglite-driver.test.ts).
 * wal_sync_method=fsync because PGlite's fdatasync is a no-op that never leaves WASM, while
 * fsync reaches the file system's fsync operation (given to NODEFS below).
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((p) => p !== '-F'),
  '-c',
  'fsync=on',
  '-c',
  'wal_sync_method=fsync',
  ...PGLITE_MEMORY_PARAMS,
];

/**
 * fsync on in PostgreSQL is not enough by itself: Emscripten's NODEFS (the real folder under
 * PGlite in Node) has no fsync stream operation, so PostgreSQL's fsync calls return without
 * reaching the disk. Giving NODEFS one makes them real fsync(2) calls. The operations object is
 * shared by every NODEFS node, so one assignment covers every file PostgreSQL opens.
 */
function makeNodeFsDurable(db: PgliteDb): boolean {
  const ops = db.Module.NODEFS?.stream_ops;
  if (!ops) return false;
  ops.fsync = (stream) => {
    if (typeof stream.nfd === 'number') fs.fsyncSync(stream.nfd);
    return 0;
  };
  return true;
}

const toNumber = (value: string): number => Number(value);

/** The chunks of one COPY as one exactly sized buffer (its ArrayBuffer is what PGlite reads). */
async function gatherCopyBytes(data: CopyData): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of data) {
    const part = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    parts.push(part);
    total += part.byteLength;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.byteLength;
  }
  return bytes;
}

function handle(tx: PgliteTx): PgQueryable {
  return {
    async query<R>(sql: string, params: readonly PgParam[] = []): Promise<PgResult<R>> {
      const result = await tx.query(sql, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.affectedRows ?? 0 };
    },
    async queryRows<R>(sql: string, params: readonly PgParam[] = []): Promise<R[]> {
      // One text value instead of rows x columns decoded one by one: about ten times faster for
      // a 200-row page (docs/benchmarks.md). json_agg keeps the order of a sorted subquery.
      const result = await tx.query(`SELECT coalesce(json_agg(r), '[]')::text AS j FROM (${sql}) r`, params as unknown[]);
      return JSON.parse((result.rows[0] as { j: string }).j) as R[];
    },
    async exec(sql: string): Promise<void> {
      await tx.exec(sql);
    },
    async copyFrom(table: string, columns: readonly string[], data: CopyData): Promise<number> {
      // PGlite reads COPY input from one buffer, so the chunks are gathered into one first.
      const bytes = await gatherCopyBytes(data);
      if (bytes.byteLength === 0) return 0;
      const result = await tx.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
        blob: { arrayBuffer: async () => bytes.buffer as ArrayBuffer },
      });
      return result.affectedRows ?? 0;
    },
  };
}

/** WAL written since the last checkpoint after which a write checkpoints (see checkpointIfWalGrew). */
const PGLITE_CHECKPOINT_WAL_BYTES = 256 * 1024 * 1024;
const WAL_SINCE_CHECKPOINT_SQL = 'SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), redo_lsn)::float8 AS bytes FROM pg_control_checkpoint()';

/** Two 16 MB WAL segments: what a batch may add to the log before a checkpoint recycles it. */
const PGLITE_WRITE_FLOOR_BYTES = 32_000_000;

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    } catch {
      // A file removed while walking (a recycled WAL segment) simply does not count.
    }
  }
  return total;
}

export class PgliteDriver implements PgDriver {
  readonly kind = 'pglite' as const;
  private readonly queue = new SerialQueue();
  private readonly direct: PgQueryable;
  private closed = false;

  private constructor(
    private readonly db: PgliteDb,
    readonly location: string,
    private readonly unlock: () => void,
    private readonly walCheckpointBytes: number,
  ) {
    this.direct = handle(db);
  }

  /**
   * `durable: false` is for the ingest benchmark's before/after figure only (PGlite's own
   * defaults, fsync off); the product never passes it.
   */
  static async open(dataDir: string, options: { durable?: boolean; walCheckpointBytes?: number } = {}): Promise<PgliteDriver> {
    const durable = options.durable ?? true;
    const dir = path.resolve(dataDir);
    const state = inspectPgliteDataDir(dir);
    const unlock = lockDataDir(dir);
    try {
      const start = async (): Promise<PgliteDb> => {
        const created: unknown = await PGlite.create({
          dataDir: dir,
          // int8 and numeric as numbers: every catalog value is a safe integer (see pg-driver.ts).
          parsers: { 20: toNumber, 1700: toNumber },
          startParams: durable ? [...PGLITE_START_PARAMS] : [...PGlite.defaultStartParams],
        });
        return created as PgliteDb;
      };
      let db = await start();
      if (state === 'new') {
        // Creating a folder runs initdb in a second WebAssembly instance, and what it and the
        // bundled files take (about 430 MB outside the JavaScript heap) stays with the process
        // as long as the first instance lives: a new catalog opened at 760 MB RSS, a reopened
        // one at 440 MB (docs/benchmarks.md, "PGlite memory"). Stopping it (a clean shutdown
        // with its checkpoint, flushed like any other) and starting again lets that go.
        if (durable) makeNodeFsDurable(db);
        await db.close();
        db = await start();
      }
      if (durable && makeNodeFsDurable(db)) {
        // What initdb and the start wrote before fsync reached the disk is flushed now.
        await db.exec('CHECKPOINT');
      }
      return new PgliteDriver(db, dir, unlock, options.walCheckpointBytes ?? PGLITE_CHECKPOINT_WAL_BYTES);
    } catch (error) {
      unlock();
      if (error instanceof StrataError) throw error;
      if (isDiskFullError(error)) {
        throw new StrataError(
          'disk-full',
          `The disk holding ${dir} is full, so the embedded database could not be ${state === 'new' ? 'created (an empty one takes about 48 MB)' : 'started'}. Free some space and try again.`,
          { dir },
          { cause: error },
        );
      }
      throw new StrataError(
        state === 'new' ? 'io' : 'db-corrupt',
        state === 'new'
          ? `Strata could not create the embedded database in ${dir} (${causeText(error)}). Check that the folder is writable and the disk has space.`
          : `The embedded database in ${dir} could not be started (${causeText(error)}). It may be damaged or written by another program; restore a backup or choose another data folder.`,
        { dir },
        { cause: error },
      );
    }
  }

  /** Every top-level operation: refused after close, otherwise queued behind the ones before. */
  private guard<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StrataError('closed', `The database ${this.location} is closed.`));
    return this.queue.run(task);
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<PgResult<R>> {
    return this.guard(() => this.direct.query<R>(sql, params));
  }

  queryRows<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<R[]> {
    return this.guard(() => this.direct.queryRows<R>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.guard(() => this.direct.exec(sql));
  }

  copyFrom(table: string, columns: readonly string[], data: CopyData): Promise<number> {
    return this.guard(() => {
      this.ensureRoom();
      return this.direct.copyFrom(table, columns, data);
    });
  }

  /**
   * PGlite's Postgres must never meet a full disk: unable to write WAL, it loops in XLogFlush
   * inside WebAssembly and never returns to JavaScript (a process stuck at full CPU). So a
   * write is refused with disk-full while two WAL segments' worth of room is still free.
   */
  private ensureRoom(): void {
    const free = freeDiskBytes(this.location);
    if (free < PGLITE_WRITE_FLOOR_BYTES) {
      throw new StrataError(
        'disk-full',
        `The disk holding ${this.location} is nearly full (${formatBytes(free)} free); the embedded database needs ${formatBytes(PGLITE_WRITE_FLOOR_BYTES)} free to write safely. Nothing was written; free some space and try again.`,
        { dir: this.location, freeBytes: free },
      );
    }
  }

  transaction<T>(fn: (tx: PgQueryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.guard(async () => {
      if (!options.snapshot) this.ensureRoom();
      const result = await this.db.transaction(async (tx) => {
        const h = handle(tx);
        if (options.snapshot) await h.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        return fn(h);
      });
      if (!options.snapshot) await this.checkpointIfWalGrew();
      return result;
    });
  }

  /**
   * PGlite runs PostgreSQL as a single-user backend, which has no checkpointer: max_wal_size
   * never triggers a checkpoint there, and the WAL grows with everything written since the
   * folder was opened (2 GB of WAL beside 1.4 GB of tables after 7M segments in one session,
   * docs/benchmarks.md). So the driver checkpoints itself once a write leaves more than
   * `walCheckpointBytes` of WAL since the last one; the checkpoint then recycles the old files.
   */
  private async checkpointIfWalGrew(): Promise<void> {
    try {
      const since = (await this.direct.query<{ bytes: number }>(WAL_SINCE_CHECKPOINT_SQL)).rows[0]?.bytes;
      if (since !== undefined && since > this.walCheckpointBytes) await this.direct.exec('CHECKPOINT');
    } catch {
      // The transaction has committed; a checkpoint that failed (a full disk) must not make it
      // look failed to the caller. The next write tries again, and PostgreSQL's own recovery
      // replays whatever WAL there is.
    }
  }

  /** The WAL left since the last checkpoint (bytes); the checkpoint test reads it. */
  async walSinceCheckpoint(): Promise<number> {
    return this.guard(async () => {
      const rows = await this.direct.query<{ bytes: number }>(WAL_SINCE_CHECKPOINT_SQL);
      return rows.rows[0]?.bytes ?? 0;
    });
  }

  async databaseBytes(): Promise<number> {
    return this.guard(async () => dirBytes(this.location));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Queued work finishes first; PGlite's close then shuts PostgreSQL down cleanly
    // (checkpoint, files flushed), so the folder is complete on its own.
    await this.queue.run(async () => {
      this.closed = true;
      try {
        await this.db.close();
      } finally {
        this.unlock();
      }
    });
  }
}
