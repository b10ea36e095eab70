/**
 * What `appendSegments` does to an open file, worked out before anything is written: the
 * checks every engine makes (so each refuses the same input with the same error), each
 * segment's state code, and the file's new counters with the collection's and folder's deltas.
 * Engines read the file's row, call this, then write rows and counters in one transaction.
 */
import { invalidArgument } from '../../shared/errors';
import { SEGMENT_MISSING, SEGMENT_UPLOADED, deriveFileState, segmentStateCode } from './state-codes';
import type { IngestSegment, SegmentAppend } from './store';
import { checkSegmentState } from './validate';

/** The columns of a file row an append reads. */
export interface AppendTarget {
  id: number;
  size: number;
  segmentCount: number;
  bytes: number;
  uploadedCount: number;
  missingCount: number;
  /** Whether the file belongs to a pending (not yet complete) NZB source. */
  pending: boolean;
  /** The file's highest segment number so far (0 without segments). */
  highest: number;
}

/** A file's row as both SQL engines name its columns, read for an append. */
export interface FileAppendRow {
  size: number;
  segment_count: number;
  bytes: number;
  uploaded_count: number;
  missing_count: number;
  /** The file's NZB source's `complete` flag (0 while its import is pending). */
  complete: number | null;
}

export function appendTargetOf(id: number, row: FileAppendRow, highest: number): AppendTarget {
  return { id, size: row.size, segmentCount: row.segment_count, bytes: row.bytes, uploadedCount: row.uploaded_count, missingCount: row.missing_count, pending: row.complete === 0, highest };
}

export interface AppendPlan {
  states: Uint8Array;
  segments: number;
  bytes: number;
  /** The file row after the append. */
  file: { size: number; segmentCount: number; bytes: number; uploadedCount: number; missingCount: number; duplicateCount: number | null; state: number };
  /** Moves of the collection's counters and of the file's folder's byte total. */
  collection: { segments: number; bytes: number; uploaded: number; missing: number };
  folderBytes: number;
  groups: string[];
}

const HEX = /^(?:[0-9a-f]{2})+$/u;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function planAppend(target: AppendTarget, part: SegmentAppend): AppendPlan {
  if (!target.pending) {
    throw invalidArgument(`File ${target.id} is not being imported; segments can be added only to an open file of an NZB import in progress.`);
  }
  if (typeof part !== 'object' || part === null || !Array.isArray(part.segments)) throw invalidArgument('Appended segments must be a list.');
  const segments = part.segments;
  const states = new Uint8Array(segments.length);
  let previous = target.highest;
  let bytes = 0;
  let uploaded = 0;
  let missing = 0;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as IngestSegment;
    const n = s?.number;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw invalidArgument(`Segment numbers of file ${target.id} must be whole numbers from 1; got ${JSON.stringify(n)}.`);
    }
    // Above the file's highest: a number can then never be written twice, which the sharded
    // tier could only take back with the whole file (its shards undo batches by file id).
    if (n <= previous) {
      throw invalidArgument(`Appended segment ${n} of file ${target.id} is not above its segment ${previous}; append numbers in increasing order.`);
    }
    previous = n;
    if (!isCount(s.bytes)) throw invalidArgument(`Segment ${n} of file ${target.id} has no valid byte size.`);
    if (s.hash != null && (typeof s.hash !== 'string' || !HEX.test(s.hash))) {
      throw invalidArgument(`Segment ${n} of file ${target.id} has a hash that is not lowercase hex.`);
    }
    if (s.messageId != null && (typeof s.messageId !== 'string' || s.messageId.length === 0)) {
      throw invalidArgument(`Segment ${n} of file ${target.id} has an empty message-id.`);
    }
    const code = s.state === undefined ? (s.messageId ? SEGMENT_UPLOADED : 0) : segmentStateCode(checkSegmentState(s.state));
    states[i] = code;
    bytes += s.bytes;
    if (code === SEGMENT_UPLOADED) uploaded++;
    else if (code === SEGMENT_MISSING) missing++;
  }
  let size = target.size;
  let duplicateCount: number | null = null;
  let groups: string[] = [];
  const final = part.final;
  if (final !== undefined) {
    if (typeof final !== 'object' || final === null || !isCount(final.size) || !isCount(final.missingNumbers) || !isCount(final.duplicates)) {
      throw invalidArgument('The final part of a file needs its size, missing numbers and duplicates as whole numbers.');
    }
    if (final.groups !== undefined && (!Array.isArray(final.groups) || final.groups.some((g) => typeof g !== 'string' || g.length === 0))) {
      throw invalidArgument('A newsgroup name must be non-empty text.');
    }
    // The placeholder an open file counts (IngestFile.open). The store keeps no other mark of
    // an open file, so this catches a final part for a file written whole without missing
    // numbers, not every second final part: it keeps the counters from going below zero.
    if (target.missingCount < 1) throw invalidArgument(`File ${target.id} is not open; it was closed already or written whole.`);
    missing += final.missingNumbers - 1;
    size = final.size;
    duplicateCount = final.duplicates;
    groups = final.groups ?? [];
  }
  const segmentCount = target.segmentCount + segments.length;
  const uploadedCount = target.uploadedCount + uploaded;
  const missingCount = target.missingCount + missing;
  return {
    states,
    segments: segments.length,
    bytes,
    file: {
      size,
      segmentCount,
      bytes: target.bytes + bytes,
      uploadedCount,
      missingCount,
      duplicateCount,
      state: deriveFileState({ segmentCount, uploadedCount, missingCount }),
    },
    collection: { segments: segments.length, bytes, uploaded, missing },
    folderBytes: size - target.size,
    groups,
  };
}
