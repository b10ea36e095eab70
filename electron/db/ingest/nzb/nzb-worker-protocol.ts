/** Messages between the NZB parse worker and the importer (validated by shape on receipt). */
import type { SerializedError } from '../../../../shared/errors';
import type { ImportStep } from './nzb-import-steps';
import type { NzbEvent, NzbFile, NzbFileEnd, NzbHead, NzbParseSummary, NzbSegment } from './nzb-types';

export interface ParseWorkerInput {
  path: string;
  name: string;
  batchSegments: number;
  maxInFlight: number;
  /** ParseNzbOptions.maxFileSegments. */
  maxFileSegments?: number;
  /**
   * Post the importer's steps (nzb-import-steps.ts), batches cut at this many segments,
   * instead of the parser's events.
   */
  importBatchSegments?: number;
}

/** One event of a batch without its segments, which travel in the batch's columns. */
export type WireEvent =
  | { type: 'file'; file: Omit<NzbFile, 'segments'> }
  | { type: 'file-start'; file: Omit<NzbFile, 'segments'> }
  | { type: 'file-segments' }
  | { type: 'file-end'; end: Omit<NzbFileEnd, 'tail'>; tail: boolean };

/**
 * A batch of file events in columns: structured-cloning a million small segment objects costs
 * the receiving thread more than the parsing it offloads, while typed arrays move without a
 * copy and one joined string copies in a single step.
 */
export interface EventColumns {
  events: WireEvent[];
  /** Segments per event, in event order (a file's, a part's, an end's tail). */
  counts: Uint32Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
  bytes: Float64Array<ArrayBuffer>;
  /** Message-ids joined by NUL (which XML cannot contain). */
  messageIds: string;
}

const segmentsOf = (event: FileEvent): NzbSegment[] => {
  switch (event.type) {
    case 'file':
    case 'file-start':
      return event.file.segments;
    case 'file-segments':
      return event.segments;
    case 'file-end':
      return event.end.tail ?? [];
  }
};

const withoutSegments = ({ segments: _segments, ...rest }: NzbFile): Omit<NzbFile, 'segments'> => rest;

export type FileEvent = Exclude<NzbEvent, { type: 'head' }>;

export function toColumns(events: FileEvent[]): EventColumns {
  let total = 0;
  for (const e of events) total += segmentsOf(e).length;
  const counts = new Uint32Array(events.length);
  const numbers = new Float64Array(total);
  const bytes = new Float64Array(total);
  const ids: string[] = new Array<string>(total);
  let i = 0;
  const wire = events.map((e, k): WireEvent => {
    const segments = segmentsOf(e);
    counts[k] = segments.length;
    for (const s of segments) {
      numbers[i] = s.number;
      bytes[i] = s.bytes;
      ids[i] = s.messageId;
      i++;
    }
    switch (e.type) {
      case 'file':
      case 'file-start':
        return { type: e.type, file: withoutSegments(e.file) };
      case 'file-segments':
        return { type: 'file-segments' };
      case 'file-end': {
        const { tail, ...end } = e.end;
        return { type: 'file-end', end, tail: tail !== null };
      }
    }
  });
  return { events: wire, counts, numbers, bytes, messageIds: ids.join('\u0000') };
}

export function fromColumns(c: EventColumns): FileEvent[] {
  const ids = c.messageIds.split('\u0000');
  let i = 0;
  return c.events.map((e, k): FileEvent => {
    const n = c.counts[k] ?? 0;
    const segments = new Array<NzbSegment>(n);
    for (let j = 0; j < n; j++, i++) segments[j] = { number: c.numbers[i] as number, bytes: c.bytes[i] as number, messageId: ids[i] as string };
    switch (e.type) {
      case 'file':
      case 'file-start':
        return { type: e.type, file: { ...e.file, segments } };
      case 'file-segments':
        return { type: 'file-segments', segments };
      case 'file-end':
        return { type: 'file-end', end: { ...e.end, tail: e.tail ? segments : null } };
    }
  });
}

export type ParseWorkerMessage =
  | { type: 'head'; head: NzbHead }
  | { type: 'events'; columns: EventColumns }
  /** One step of the importer (with `importBatchSegments`), its columns' buffers transferred. */
  | { type: 'step'; step: ImportStep }
  /** `duplicateFiles`: the repeats the namer dropped (with `importBatchSegments`). */
  | { type: 'done'; summary: NzbParseSummary; duplicateFiles?: number }
  | { type: 'error'; error: SerializedError; message: string };
