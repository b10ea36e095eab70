/**
 * Ingest work in the shape it crosses to the catalog's writer thread: each file without its
 * segments (a few thousand small objects per batch, cheap to clone) and the segments in
 * columns whose buffers are transferred. Structured-cloning a 50,000-segment batch as objects
 * measured 300 ms and more on the sending thread, which is the very wait the writer thread is
 * there to remove; filling the columns is one pass over the segments.
 */
import type { IngestBatch, IngestFile, IngestSegment, SegmentAppend } from '../../store';
import { SegmentColumnsBuilder, TextColumnReader, type SegmentColumns } from '../sharded/segment-columns';
import { segmentStateName } from '../../state-codes';
import { segmentStateCodeOf } from './sqlite-ingest';

/** A state code that stands for "not given" (the writer derives it from the message-id). */
const NO_STATE = 255;

/** Lists of segments in one set of columns: list k is rows [offsets[k], offsets[k + 1]). */
export interface WireSegmentLists {
  offsets: Uint32Array;
  columns: SegmentColumns;
}

export type WireFile = Omit<IngestFile, 'segments'>;

export interface WireBatch {
  sources?: IngestBatch['sources'];
  files: WireFile[];
  segments: WireSegmentLists;
}

export interface WireAppend {
  segments: WireSegmentLists;
  final?: SegmentAppend['final'];
}

export interface Encoded<T> {
  wire: T;
  transfer: ArrayBuffer[];
}

/**
 * Rows encoded between two turns of the event loop: a 50,000-segment batch took 20-40 ms of
 * CPU to encode in one go, long enough to hold up the reads the writer thread is there to let
 * through; a few thousand rows take a millisecond or two.
 */
const ROWS_PER_TURN = 4096;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Lists of segments in columns; the NZB parse worker builds its batches' columns with it too. */
export async function encodeSegmentLists(lists: IngestSegment[][]): Promise<Encoded<WireSegmentLists>> {
  let total = 0;
  for (const list of lists) total += list.length;
  const builder = new SegmentColumnsBuilder(total);
  const offsets = new Uint32Array(lists.length + 1);
  let untilTurn = ROWS_PER_TURN;
  for (let k = 0; k < lists.length; k++) {
    offsets[k] = builder.length;
    for (const s of lists[k] as IngestSegment[]) {
      // An unknown state fails here, before anything is sent, with the writer's own message.
      const state = s.state === undefined ? NO_STATE : segmentStateCodeOf(s.state);
      builder.addRow(k, s.number, s.bytes, state, s.hash ?? null, s.messageId ?? null, s.uploadedAt ?? null);
      if (--untilTurn === 0) {
        untilTurn = ROWS_PER_TURN;
        await nextTurn();
      }
    }
  }
  offsets[lists.length] = builder.length;
  const { columns } = builder.take();
  const wire = { offsets, columns };
  return { wire, transfer: transferOf(wire) };
}

/** The buffers of these columns, to transfer rather than copy. */
export function transferOf({ offsets, columns: c }: WireSegmentLists): ArrayBuffer[] {
  return [offsets, c.fileIds, c.numbers, c.bytes, c.states, c.uploadedAt, c.hashes.lengths, c.messageIds.lengths].map((a) => a.buffer as ArrayBuffer);
}

export function decodeLists({ offsets, columns: c }: WireSegmentLists): IngestSegment[][] {
  const hashes = new TextColumnReader(c.hashes);
  const messageIds = new TextColumnReader(c.messageIds);
  const lists: IngestSegment[][] = [];
  for (let k = 0; k + 1 < offsets.length; k++) {
    const from = offsets[k] as number;
    const to = offsets[k + 1] as number;
    const list = new Array<IngestSegment>(to - from);
    for (let i = from; i < to; i++) {
      const segment: IngestSegment = { number: c.numbers[i] as number, bytes: c.bytes[i] as number };
      const hash = hashes.next(i);
      if (hash !== null) segment.hash = hash;
      const messageId = messageIds.next(i);
      if (messageId !== null) segment.messageId = messageId;
      const state = c.states[i] as number;
      if (state !== NO_STATE) segment.state = segmentStateName(state);
      const uploadedAt = c.uploadedAt[i] as number;
      if (!Number.isNaN(uploadedAt)) segment.uploadedAt = uploadedAt;
      list[i - from] = segment;
    }
    lists.push(list);
  }
  return lists;
}

export async function encodeBatch(batch: IngestBatch): Promise<Encoded<WireBatch>> {
  const { wire: segments, transfer } = await encodeSegmentLists(batch.files.map((f) => f.segments));
  const files = batch.files.map(({ segments: _segments, ...rest }): WireFile => rest);
  const wire: WireBatch = { files, segments };
  if (batch.sources) wire.sources = batch.sources;
  return { wire, transfer };
}

export function decodeBatch(wire: WireBatch): IngestBatch {
  const lists = decodeLists(wire.segments);
  const files = wire.files.map((file, k): IngestFile => ({ ...file, segments: lists[k] as IngestSegment[] }));
  return wire.sources ? { sources: wire.sources, files } : { files };
}

export async function encodeAppend(part: SegmentAppend): Promise<Encoded<WireAppend>> {
  const { wire: segments, transfer } = await encodeSegmentLists([part.segments]);
  return { wire: part.final ? { segments, final: part.final } : { segments }, transfer };
}

export function decodeAppend(wire: WireAppend): SegmentAppend {
  const segments = decodeLists(wire.segments)[0] as IngestSegment[];
  return wire.final ? { segments, final: wire.final } : { segments };
}
