/**
 * One ingest batch's segments on their way to the shards. The catalog thread adds rows as it
 * writes each file; full column chunks go to their shard's writer at once, so the shards write
 * while the catalog thread is still inserting files. `commit` closes the epoch in every shard
 * it touched; if any shard fails, the ones that committed take the epoch back.
 */
import type { IngestSegment } from '../../store';
import { SegmentColumnsBuilder } from './segment-columns';
import type { Shard, ShardSet } from './shard-set';

/** Rows per message to a writer: large enough to amortise messaging, small enough to start early. */
const CHUNK_ROWS = 8_192;

export class EpochSink {
  private readonly builders = new Map<number, SegmentColumnsBuilder>();
  private readonly touched = new Set<Shard>();

  constructor(
    private readonly shards: ShardSet,
    readonly epoch: number,
  ) {}

  add(fileId: number, segments: IngestSegment[], states: Uint8Array): void {
    if (segments.length === 0) return;
    const index = this.shards.indexOf(fileId);
    let builder = this.builders.get(index);
    if (!builder) {
      builder = new SegmentColumnsBuilder(CHUNK_ROWS);
      this.builders.set(index, builder);
    }
    for (let i = 0; i < segments.length; i++) {
      builder.add(fileId, segments[i] as IngestSegment, states[i] as number);
      if (builder.full) this.flush(index, builder);
    }
  }

  private flush(index: number, builder: SegmentColumnsBuilder): void {
    const shard = this.shards.shards[index] as Shard;
    const writer = this.shards.writer(shard);
    const { columns, transfer } = builder.take();
    writer.postRows(this.epoch, columns, transfer);
    this.touched.add(shard);
  }

  /** Every touched shard commits the epoch; on a failure the caller takes it back with `abort`. */
  async commit(): Promise<void> {
    for (const [index, builder] of this.builders) if (builder.length > 0) this.flush(index, builder);
    const shards = [...this.touched];
    const results = await Promise.allSettled(shards.map((s) => this.shards.writer(s).request({ op: 'commit', epoch: this.epoch })));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  /** Takes the epoch back from every shard it reached (rolls back an open one, undoes a committed one). */
  async abort(): Promise<void> {
    const shards = [...this.touched];
    const results = await Promise.allSettled(shards.map((s) => this.shards.writer(s).request({ op: 'undo', after: this.epoch - 1 })));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
