/**
 * The catalog thread's handle on one shard's writer thread (or, with another entry and command
 * type, the search file's writer): requests in order, replies by id.
 */
import type { Worker } from 'node:worker_threads';
import { StrataError, deserializeError } from '../../../../shared/errors';
import { spawnWorker } from '../../spawn-worker';
import type { WorkerEntry } from '../../worker-entries';
import type { SegmentColumns } from './segment-columns';
import type { ShardCommand, ShardReply } from './shard-protocol';

export class ShardWriter<Command extends { op: string } = ShardCommand> {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  /** A failure the worker reported for a message nobody waits on (rows); the next request fails with it. */
  private orphanError: StrataError | null = null;
  private dead: StrataError | null = null;

  constructor(
    data: Readonly<Record<string, unknown>> & { file: string },
    /** Names the thread in errors ("the writer of shard 2"). */
    label: string,
    entry: WorkerEntry = 'shard-writer-worker',
  ) {
    this.worker = spawnWorker(entry, data);
    this.worker.on('message', (reply: ShardReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) {
        if (!reply.ok) this.orphanError = deserializeError(reply.error);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(deserializeError(reply.error));
    });
    const fail = (error: StrataError): void => {
      this.dead ??= error;
      for (const waiter of this.pending.values()) waiter.reject(this.dead);
      this.pending.clear();
    };
    this.worker.on('error', (error) =>
      fail(
        error instanceof StrataError
          ? error
          : new StrataError('internal', `The writer of ${label} (${data.file}) stopped: ${error.message}`, { file: data.file }),
      ),
    );
    this.worker.on('exit', () => fail(new StrataError('closed', `The writer of ${label} is closed.`, { file: data.file })));
  }

  /** Sends rows of an ingest epoch without waiting; failures surface at the epoch's commit. */
  postRows(epoch: number, columns: SegmentColumns, transfer: ArrayBuffer[]): void {
    this.send({ op: 'rows', epoch, columns }, transfer);
  }

  /** Sends a command that has no reply; the worker reports a failure at a later request. */
  post(command: Command, transfer: ArrayBuffer[] = []): void {
    this.send(command, transfer);
  }

  private send(command: Command | ShardCommand, transfer: ArrayBuffer[]): void {
    if (this.dead) return;
    this.worker.postMessage({ id: this.nextId++, command }, transfer);
  }

  request<T = unknown>(command: Command, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const orphan = this.orphanError;
    this.orphanError = null;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, command }, transfer);
    }).then((value) => {
      if (orphan) throw orphan;
      return value;
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    try {
      // Both workers know 'close'.
      await this.request({ op: 'close' } as Command);
    } finally {
      await this.worker.terminate();
    }
  }
}
