/**
 * The calls' side of a one-file catalog's writer thread (writer-thread-worker.ts). Started at
 * the first import and stopped after a minute without one, so an idle app holds one
 * connection, and a catalog that is closed (a move's switch, a restore) holds none. A thread
 * that died fails what waited on it; the next request starts a new one, and SQLite has rolled
 * back whatever transaction the dead one had open.
 */
import type { Worker } from 'node:worker_threads';
import { StrataError, deserializeError } from '../../../../shared/errors';
import type { AppendResult, IngestBatch, OnExisting, SegmentAppend } from '../../store';
import type { IngestSession } from '../../store-front/engine-core';
import { spawnWorker } from '../../spawn-worker';
import { columnarTransfer, type ColumnarIngestBatch } from './columnar-batch';
import { encodeAppend, encodeBatch, type Encoded, type WireBatch } from './ingest-wire';
import type { WriteReply, WriterCommand, WriterReply, WriterThreadData } from './writer-thread-protocol';

const IDLE_STOP_MS = 60_000;

interface Running {
  worker: Worker;
  pending: Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>;
  dead: StrataError | null;
}

export class WriterThread {
  private running: Running | null = null;
  private nextId = 1;
  private nextSession = 1;
  private sessions = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Writes of the calls' thread waiting for the writer thread to finish what it was sent. */
  private quietWaiters: (() => void)[] = [];

  constructor(private readonly data: WriterThreadData) {}

  /** An ingest session whose batches are written on the writer thread. */
  async startIngest(collectionId: number, onExisting: OnExisting): Promise<IngestSession<Encoded<WireBatch | ColumnarIngestBatch>>> {
    const session = this.nextSession++;
    this.sessions++;
    this.holdOpen();
    try {
      await this.request({ op: 'start', session, collectionId, onExisting });
    } catch (error) {
      this.sessionEnded();
      throw error;
    }
    let known: Record<string, number> = {};
    let released = false;
    return {
      // Encoding the next batch while this one is written is the point of the thread.
      readAhead: true,
      prepare: (batch: IngestBatch) => encodeBatch(batch),
      // Already in columns (the NZB parse worker built them): only its buffers are handed on.
      prepareColumns: (batch: ColumnarIngestBatch) => ({ wire: batch, transfer: columnarTransfer(batch) }),
      write: async ({ wire, transfer }) => {
        const reply = await this.request<WriteReply>({ op: 'write', session, batch: wire }, transfer);
        known = reply.knownSources;
        return reply.outcome;
      },
      knownSources: () => known,
      release: async () => {
        if (released) return;
        released = true;
        try {
          await this.request({ op: 'end', session });
        } catch {
          // A dead thread has no session to end.
        } finally {
          this.sessionEnded();
        }
      },
    };
  }

  async appendSegments(fileId: number, part: SegmentAppend): Promise<AppendResult> {
    this.sessions++;
    this.holdOpen();
    try {
      const { wire, transfer } = await encodeAppend(part);
      return await this.request<AppendResult>({ op: 'append', fileId, part: wire }, transfer);
    } finally {
      this.sessionEnded();
    }
  }

  /**
   * Resolves once the writer thread has nothing in hand. A write on the calls' thread waits for
   * this instead of for SQLite's lock: that wait would block its thread (busy_timeout sleeps),
   * reads included, for up to a batch, and fail a write after five seconds of batches. From
   * here to the end of a synchronous transaction nothing new can be sent to the thread.
   */
  quiet(): Promise<void> {
    if (!this.running || this.running.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  private wakeQuiet(): void {
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const wake of waiters) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.stop();
  }

  private holdOpen(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private sessionEnded(): void {
    this.sessions--;
    if (this.sessions > 0 || this.closed) return;
    this.idleTimer = setTimeout(() => void this.stop(), IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    if (!running.dead) {
      try {
        await this.send(running, { op: 'close' });
      } catch {
        // Terminated below either way.
      }
    }
    await running.worker.terminate();
  }

  private start(): Running {
    if (this.closed) throw new StrataError('closed', `The catalog ${this.data.file} is closed.`);
    const worker = spawnWorker('sqlite-writer-worker', this.data);
    const running: Running = { worker, pending: new Map(), dead: null };
    worker.on('message', (reply: WriterReply) => {
      const waiter = running.pending.get(reply.id);
      if (!waiter) return;
      running.pending.delete(reply.id);
      if (running.pending.size === 0) {
        worker.unref();
        this.wakeQuiet();
      }
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(deserializeError(reply.error));
    });
    const fail = (error: StrataError): void => {
      running.dead ??= error;
      for (const waiter of running.pending.values()) waiter.reject(running.dead);
      running.pending.clear();
      if (this.running === running) this.running = null;
      this.wakeQuiet();
    };
    worker.on('error', (error) =>
      fail(
        error instanceof StrataError
          ? error
          : new StrataError('internal', `The writer of the catalog ${this.data.file} stopped: ${error.message}. Nothing of the batch it was writing was kept; import again.`, { file: this.data.file }),
      ),
    );
    worker.on('exit', () => fail(new StrataError('closed', `The writer of the catalog ${this.data.file} is closed.`, { file: this.data.file })));
    // An idle writer thread must not keep the process alive; one with work waited on does.
    worker.unref();
    return running;
  }

  private request<T>(command: WriterCommand, transfer: ArrayBuffer[] = []): Promise<T> {
    this.running ??= this.start();
    return this.send<T>(this.running, command, transfer);
  }

  private send<T>(running: Running, command: WriterCommand, transfer: ArrayBuffer[] = []): Promise<T> {
    if (running.dead) return Promise.reject(running.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      running.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      running.worker.ref();
      running.worker.postMessage({ id, command }, transfer);
    });
  }
}
