/**
 * An ingest batch built off the thread that answers calls (by the NZB parse worker), files and
 * segments alike in columns, every one of them a typed array whose buffer is transferred, text
 * included (in UTF-8). Measured here: structured-cloning a batch's 2,500 file objects costs
 * 4-9 ms to send and 9-19 ms to receive, a 2 MB string of message-ids 0.4-9 ms to send and
 * about 3 ms to receive, a transferred buffer well under 0.1 ms either way; the calls' thread
 * would pay the clones twice (receiving the batch from the parser, sending it to the writer).
 * A store that writes on a thread of its own (tier 1) passes the batch on as it is and
 * decodes it there; any other store decodes it first (store-front/ingest-loop.ts).
 *
 * What every file of the batch shares is said once: its folder (a file's path is
 * `folder/name`), its NZB source, and whether the last file stays open for appended parts.
 */
import type { IngestBatch, IngestFile, NzbSourceInput } from '../../store';
import { TextColumnBuilder, TextColumnReader, type SegmentColumns, type TextColumn } from '../sharded/segment-columns';
import { decodeLists, type WireSegmentLists } from './ingest-wire';

/**
 * A text column in UTF-8 (`lengths` as in TextColumn, in UTF-16 units: the text decodes back
 * to the same string, which holds no lone surrogate, coming from a decoder itself).
 */
export interface Utf8Column {
  utf8: Uint8Array;
  lengths: Int32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const packText = (c: TextColumn): Utf8Column => ({ utf8: encoder.encode(c.text), lengths: c.lengths });
const unpackText = (c: Utf8Column): TextColumn => ({ text: decoder.decode(c.utf8), lengths: c.lengths });

/** Segment lists (WireSegmentLists) with their text in UTF-8. */
export interface PackedSegmentLists {
  offsets: Uint32Array;
  columns: Omit<SegmentColumns, 'hashes' | 'messageIds'> & { hashes: Utf8Column; messageIds: Utf8Column };
}

export function packLists({ offsets, columns: c }: WireSegmentLists): PackedSegmentLists {
  return { offsets, columns: { ...c, hashes: packText(c.hashes), messageIds: packText(c.messageIds) } };
}

function unpackLists({ offsets, columns: c }: PackedSegmentLists): WireSegmentLists {
  return { offsets, columns: { ...c, hashes: unpackText(c.hashes), messageIds: unpackText(c.messageIds) } };
}

/** A file of a columnar batch as its builder gives it. */
export interface ColumnarFile {
  /** Its name in the batch's folder. */
  name: string;
  size: number;
  subject: string | null;
  poster: string | null;
  postedAt: number | null;
  groups: string[];
  missingNumbers: number;
  duplicates: number;
}

export interface FileColumns {
  count: number;
  names: Utf8Column;
  subjects: Utf8Column;
  posters: Utf8Column;
  sizes: Float64Array;
  /** NaN stands for none. */
  postedAt: Float64Array;
  missingNumbers: Float64Array;
  duplicates: Float64Array;
  /** File k's groups are the next groupCounts[k] rows of `groups`. */
  groupCounts: Uint32Array;
  groups: Utf8Column;
}

export interface ColumnarIngestBatch {
  columnar: true;
  sources?: NzbSourceInput[];
  folder: string;
  sourceKey: string | null;
  /** The last file is open: its parts follow through appendSegments (IngestFile.open). */
  lastOpen: boolean;
  files: FileColumns;
  /** List k holds file k's segments. */
  segments: PackedSegmentLists;
}

export const isColumnar = <T extends object>(batch: T | ColumnarIngestBatch): batch is ColumnarIngestBatch => 'columnar' in batch;

function textColumn(values: (string | null)[]): Utf8Column {
  const builder = new TextColumnBuilder(values.length);
  values.forEach((value, i) => builder.set(i, value));
  return packText(builder.take());
}

export function encodeFileColumns(files: ColumnarFile[]): FileColumns {
  const n = files.length;
  const sizes = new Float64Array(n);
  const postedAt = new Float64Array(n);
  const missingNumbers = new Float64Array(n);
  const duplicates = new Float64Array(n);
  const groupCounts = new Uint32Array(n);
  const groups: string[] = [];
  files.forEach((f, k) => {
    sizes[k] = f.size;
    postedAt[k] = f.postedAt ?? Number.NaN;
    missingNumbers[k] = f.missingNumbers;
    duplicates[k] = f.duplicates;
    groupCounts[k] = f.groups.length;
    groups.push(...f.groups);
  });
  return {
    count: n,
    names: textColumn(files.map((f) => f.name)),
    subjects: textColumn(files.map((f) => f.subject)),
    posters: textColumn(files.map((f) => f.poster)),
    sizes,
    postedAt,
    missingNumbers,
    duplicates,
    groupCounts,
    groups: textColumn(groups),
  };
}

export function decodeFileColumns(c: FileColumns): ColumnarFile[] {
  const names = new TextColumnReader(unpackText(c.names));
  const subjects = new TextColumnReader(unpackText(c.subjects));
  const posters = new TextColumnReader(unpackText(c.posters));
  const groups = new TextColumnReader(unpackText(c.groups));
  const out: ColumnarFile[] = [];
  for (let k = 0, g = 0; k < c.count; k++) {
    const fileGroups: string[] = [];
    for (let end = g + (c.groupCounts[k] as number); g < end; g++) fileGroups.push(groups.next(g) as string);
    const postedAt = c.postedAt[k] as number;
    out.push({
      name: names.next(k) as string,
      size: c.sizes[k] as number,
      subject: subjects.next(k),
      poster: posters.next(k),
      postedAt: Number.isNaN(postedAt) ? null : postedAt,
      groups: fileGroups,
      missingNumbers: c.missingNumbers[k] as number,
      duplicates: c.duplicates[k] as number,
    });
  }
  return out;
}

/** The batch as objects, as a store writes it. */
export function decodeColumnar(batch: ColumnarIngestBatch): IngestBatch {
  const lists = decodeLists(unpackLists(batch.segments));
  const last = batch.files.count - 1;
  const files = decodeFileColumns(batch.files).map(
    ({ name, ...f }, k): IngestFile => ({
      path: `${batch.folder}/${name}`,
      ...f,
      sourceKey: batch.sourceKey,
      ...(batch.lastOpen && k === last ? { open: true } : {}),
      segments: lists[k] ?? [],
    }),
  );
  return batch.sources ? { sources: batch.sources, files } : { files };
}

const buffersOf = (arrays: ArrayBufferView[]): ArrayBuffer[] => arrays.map((a) => a.buffer as ArrayBuffer);

/** The buffers of these columns, to transfer rather than copy. */
export function fileColumnsTransfer(f: FileColumns): ArrayBuffer[] {
  return buffersOf([f.names.utf8, f.names.lengths, f.subjects.utf8, f.subjects.lengths, f.posters.utf8, f.posters.lengths, f.sizes, f.postedAt, f.missingNumbers, f.duplicates, f.groupCounts, f.groups.utf8, f.groups.lengths]);
}

export function packedListsTransfer({ offsets, columns: c }: PackedSegmentLists): ArrayBuffer[] {
  return buffersOf([offsets, c.fileIds, c.numbers, c.bytes, c.states, c.uploadedAt, c.hashes.utf8, c.hashes.lengths, c.messageIds.utf8, c.messageIds.lengths]);
}

/** The buffers of the batch, to transfer rather than copy. */
export function columnarTransfer({ files, segments }: ColumnarIngestBatch): ArrayBuffer[] {
  return [...fileColumnsTransfer(files), ...packedListsTransfer(segments)];
}

const copyText = (t: Utf8Column): Utf8Column => ({ utf8: t.utf8.slice(), lengths: t.lengths.slice() });

/** A copy whose buffers are its own: a batch sent again after its buffers were transferred. */
export function copyColumnar(batch: ColumnarIngestBatch): ColumnarIngestBatch {
  const f = batch.files;
  const { offsets, columns: c } = batch.segments;
  return {
    ...batch,
    files: {
      count: f.count,
      names: copyText(f.names),
      subjects: copyText(f.subjects),
      posters: copyText(f.posters),
      sizes: f.sizes.slice(),
      postedAt: f.postedAt.slice(),
      missingNumbers: f.missingNumbers.slice(),
      duplicates: f.duplicates.slice(),
      groupCounts: f.groupCounts.slice(),
      groups: copyText(f.groups),
    },
    segments: {
      offsets: offsets.slice(),
      columns: {
        count: c.count,
        fileIds: c.fileIds.slice(),
        numbers: c.numbers.slice(),
        bytes: c.bytes.slice(),
        states: c.states.slice(),
        uploadedAt: c.uploadedAt.slice(),
        hashes: copyText(c.hashes),
        messageIds: copyText(c.messageIds),
      },
    },
  };
}
