/** The catalog thread's handle on one shard's writer thread: requests in order, replies by id. */
import type { Worker } from 'node:worker_threads';
import { StrataError, deserializeError } from '../../../../shared/errors';
import { spawnWorker } from '../../spawn-worker';
import type { SegmentColumns } from './segment-columns';
import type { ShardCommand, ShardReply, ShardWorkerData } from './shard-protocol';

export class ShardWriter {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  /** A failure the worker reported for a message nobody waits on (rows); the next request fails with it. */
  private orphanError: StrataError | null = null;
  private dead: StrataError | null = null;

  constructor(data: ShardWorkerData & { storeUid: string }) {
    this.worker = spawnWorker('shard-writer-worker', data);
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
          : new StrataError('internal', `The writer of shard ${data.index} (${data.file}) stopped: ${error.message}`, { file: data.file }),
      ),
    );
    this.worker.on('exit', () => fail(new StrataError('closed', `The writer of shard ${data.index} is closed.`, { file: data.file })));
  }

  /** Sends rows of an ingest epoch without waiting; failures surface at the epoch's commit. */
  postRows(epoch: number, columns: SegmentColumns, transfer: ArrayBuffer[]): void {
    if (this.dead) return;
    this.worker.postMessage({ id: this.nextId++, command: { op: 'rows', epoch, columns } }, transfer);
  }

  request<T = unknown>(command: ShardCommand, transfer: ArrayBuffer[] = []): Promise<T> {
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
      await this.request({ op: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}
