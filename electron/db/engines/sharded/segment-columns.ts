/**
 * Segments in columns, the shape in which rows travel between the catalog thread and the shard
 * writers: numbers in typed arrays (their buffers are transferred, not copied) and text in two
 * plain arrays. Building a column batch costs far less per row than inserting it, which is what
 * lets the catalog thread hand segment writing to other cores.
 */
import type { IngestSegment } from '../../store';

export interface SegmentColumns {
  count: number;
  fileIds: Float64Array;
  numbers: Float64Array;
  bytes: Float64Array;
  states: Uint8Array;
  /** NaN stands for no upload time. */
  uploadedAt: Float64Array;
  /** Lowercase hex, or null. */
  hashes: (string | null)[];
  messageIds: (string | null)[];
}

export class SegmentColumnsBuilder {
  private columns: SegmentColumns;

  constructor(private readonly capacity: number) {
    this.columns = SegmentColumnsBuilder.empty(capacity);
  }

  private static empty(capacity: number): SegmentColumns {
    return {
      count: 0,
      fileIds: new Float64Array(capacity),
      numbers: new Float64Array(capacity),
      bytes: new Float64Array(capacity),
      states: new Uint8Array(capacity),
      uploadedAt: new Float64Array(capacity),
      hashes: [],
      messageIds: [],
    };
  }

  get length(): number {
    return this.columns.count;
  }

  get full(): boolean {
    return this.columns.count >= this.capacity;
  }

  add(fileId: number, segment: IngestSegment, state: number): void {
    const c = this.columns;
    const i = c.count++;
    c.fileIds[i] = fileId;
    c.numbers[i] = segment.number;
    c.bytes[i] = segment.bytes;
    c.states[i] = state;
    c.uploadedAt[i] = segment.uploadedAt ?? Number.NaN;
    c.hashes.push(segment.hash ?? null);
    c.messageIds.push(segment.messageId ?? null);
  }

  addRow(fileId: number, number: number, bytes: number, state: number, hash: string | null, messageId: string | null, uploadedAt: number | null): void {
    const c = this.columns;
    const i = c.count++;
    c.fileIds[i] = fileId;
    c.numbers[i] = number;
    c.bytes[i] = bytes;
    c.states[i] = state;
    c.uploadedAt[i] = uploadedAt ?? Number.NaN;
    c.hashes.push(hash);
    c.messageIds.push(messageId);
  }

  /** Hands the filled columns over and starts a fresh set. */
  take(): { columns: SegmentColumns; transfer: ArrayBuffer[] } {
    const c = this.columns;
    this.columns = SegmentColumnsBuilder.empty(this.capacity);
    const transfer = [c.fileIds.buffer, c.numbers.buffer, c.bytes.buffer, c.states.buffer, c.uploadedAt.buffer] as ArrayBuffer[];
    return { columns: c, transfer };
  }
}
