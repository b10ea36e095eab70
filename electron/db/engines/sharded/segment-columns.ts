/**
 * Segments in columns, the shape in which rows travel between the catalog thread and the shard
 * writers: numbers in typed arrays whose buffers are transferred, not copied, and each text
 * column as one joined string with per-row lengths (-1 for none). Cloning one long string is a
 * copy of its bytes, where an array of strings costs a clone per element; building a column
 * batch costs far less per row than inserting it, which is what lets the catalog thread hand
 * segment writing to other cores.
 */
import type { IngestSegment } from '../../store';

export interface TextColumn {
  text: string;
  /** Length of each row's value in `text`, or -1 for null. */
  lengths: Int32Array;
}

export interface SegmentColumns {
  count: number;
  fileIds: Float64Array;
  numbers: Float64Array;
  bytes: Float64Array;
  states: Uint8Array;
  /** NaN stands for no upload time. */
  uploadedAt: Float64Array;
  /** Lowercase hex. */
  hashes: TextColumn;
  messageIds: TextColumn;
}

/** A text column filled row by row (`set` each row once, in order). */
export class TextColumnBuilder {
  private parts: string[] = [];
  lengths: Int32Array;

  constructor(capacity: number) {
    this.lengths = new Int32Array(capacity);
  }

  set(i: number, value: string | null | undefined): void {
    if (value == null) {
      this.lengths[i] = -1;
    } else {
      this.lengths[i] = value.length;
      this.parts.push(value);
    }
  }

  take(): TextColumn {
    const column = { text: this.parts.join(''), lengths: this.lengths };
    this.parts = [];
    this.lengths = new Int32Array(this.lengths.length);
    return column;
  }
}

/** Reads a text column row by row, in order. */
export class TextColumnReader {
  private offset = 0;

  constructor(private readonly column: TextColumn) {}

  next(i: number): string | null {
    const length = this.column.lengths[i] as number;
    if (length < 0) return null;
    const value = this.column.text.slice(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

export class SegmentColumnsBuilder {
  private count = 0;
  private fileIds: Float64Array;
  private numbers: Float64Array;
  private bytes: Float64Array;
  private states: Uint8Array;
  private uploadedAt: Float64Array;
  private readonly hashes: TextColumnBuilder;
  private readonly messageIds: TextColumnBuilder;

  constructor(private readonly capacity: number) {
    this.fileIds = new Float64Array(capacity);
    this.numbers = new Float64Array(capacity);
    this.bytes = new Float64Array(capacity);
    this.states = new Uint8Array(capacity);
    this.uploadedAt = new Float64Array(capacity);
    this.hashes = new TextColumnBuilder(capacity);
    this.messageIds = new TextColumnBuilder(capacity);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  add(fileId: number, segment: IngestSegment, state: number): void {
    this.addRow(fileId, segment.number, segment.bytes, state, segment.hash ?? null, segment.messageId ?? null, segment.uploadedAt ?? null);
  }

  addRow(fileId: number, number: number, bytes: number, state: number, hash: string | null, messageId: string | null, uploadedAt: number | null): void {
    const i = this.count++;
    this.fileIds[i] = fileId;
    this.numbers[i] = number;
    this.bytes[i] = bytes;
    this.states[i] = state;
    this.uploadedAt[i] = uploadedAt ?? Number.NaN;
    this.hashes.set(i, hash);
    this.messageIds.set(i, messageId);
  }

  /** Hands the filled columns over (with the buffers to transfer) and starts a fresh set. */
  take(): { columns: SegmentColumns; transfer: ArrayBuffer[] } {
    const columns: SegmentColumns = {
      count: this.count,
      fileIds: this.fileIds,
      numbers: this.numbers,
      bytes: this.bytes,
      states: this.states,
      uploadedAt: this.uploadedAt,
      hashes: this.hashes.take(),
      messageIds: this.messageIds.take(),
    };
    this.count = 0;
    this.fileIds = new Float64Array(this.capacity);
    this.numbers = new Float64Array(this.capacity);
    this.bytes = new Float64Array(this.capacity);
    this.states = new Uint8Array(this.capacity);
    this.uploadedAt = new Float64Array(this.capacity);
    const transfer = [columns.fileIds, columns.numbers, columns.bytes, columns.states, columns.uploadedAt, columns.hashes.lengths, columns.messageIds.lengths].map(
      (a) => a.buffer as ArrayBuffer,
    );
    return { columns, transfer };
  }
}
