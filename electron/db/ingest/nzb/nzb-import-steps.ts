/**
 * The NZB importer's work in the shape it is written: the parser's events turned into steps
 * (a batch of named files with its segments in columns, a part of a huge file, a file's end),
 * each ready to hand to a store. It runs where the parsing runs, the parse worker for any NZB
 * of size, so the thread that answers calls makes no object per file or segment: it feeds the
 * step's message-ids to the dupe key in one string and passes the columns on, with the folder
 * and the source said once per batch (engines/sqlite/columnar-batch.ts; to tier 1's writer
 * thread, transferred).
 *
 * Batches end where the importer ended them before: after the file that brings a batch to
 * `batchSegments`, and at the start of a file that arrives in parts (which joins the batch,
 * open, so that its parts can be appended to its row).
 */
import { encodeFileColumns, fileColumnsTransfer, packLists, packedListsTransfer, type ColumnarFile, type FileColumns, type PackedSegmentLists } from '../../engines/sqlite/columnar-batch';
import { encodeSegmentLists, transferOf, type WireSegmentLists } from '../../engines/sqlite/ingest-wire';
import { FileNamer } from './nzb-file-namer';
import { sizeFromSubject } from './subject-name';
import type { NzbFile, NzbFileEnd, NzbHead, NzbSegment } from './nzb-types';
import type { FileEvent } from './nzb-worker-protocol';

/** A file that arrives in parts, as its batch opened it. */
export interface StepOpen {
  /** Its header (named "unnamed" when the namer dropped it). */
  file: ColumnarFile;
  /** False for a repeat the namer dropped: it is not in the batch, its parts are only hashed. */
  named: boolean;
  /** The size its subject names, if any. */
  namedSize: number | null;
  /** The byte where its message-ids begin in the step's `ids`: the dupe key before it is kept, to mend its order. */
  idsFrom: number;
}

export type ImportStep =
  | { type: 'head'; head: NzbHead }
  /**
   * One batch: `files` in document order with their segments in `segments` (list k is file
   * k's), and `ids`, what the dupe key hashes of the step: every message-id followed by a
   * newline, repeats the namer dropped included, in UTF-8 (bytes, transferred: megabytes of
   * string per batch would be garbage on the thread that answers calls). With `open`, the
   * batch ends at a file that arrives in parts (the last of `files` when it is named).
   */
  | { type: 'files'; files: FileColumns; segments: PackedSegmentLists; ids: Uint8Array; open: StepOpen | null }
  /** A part of the open file; no segments for a dropped one. */
  | { type: 'part'; segments: WireSegmentLists | null; ids: Uint8Array }
  | { type: 'end'; end: Omit<NzbFileEnd, 'tail'>; tail: NzbSegment[] | null };

/** What the dupe key hashes of these segments: each message-id and a newline. */
export function idText(segments: NzbSegment[]): string {
  return segments.length === 0 ? '' : `${segments.map((s) => s.messageId).join('\n')}\n`;
}

/** The buffers of a step, to transfer rather than copy. */
export function stepTransfer(step: ImportStep): ArrayBuffer[] {
  if (step.type === 'files') return [...fileColumnsTransfer(step.files), ...packedListsTransfer(step.segments), step.ids.buffer as ArrayBuffer];
  if (step.type !== 'part') return [];
  return [...(step.segments ? transferOf(step.segments) : []), step.ids.buffer as ArrayBuffer];
}

const utf8 = new TextEncoder();

function stepFile(file: NzbFile, name: string): ColumnarFile {
  let total = 0;
  for (const s of file.segments) total += s.bytes;
  return {
    name,
    size: sizeFromSubject(file.subject) ?? total,
    subject: file.subject,
    poster: file.poster,
    postedAt: file.date === null ? null : file.date * 1000,
    groups: file.groups,
    missingNumbers: file.missingNumbers,
    duplicates: file.duplicates,
  };
}

export class ImportStepper {
  private readonly namer = new FileNamer();
  private files: ColumnarFile[] = [];
  private lists: NzbSegment[][] = [];
  private ids: string[] = [];
  private idBytes = 0;
  private segments = 0;
  /** Whether the file in parts now open was named (its parts are written) or dropped. */
  private openNamed = false;

  constructor(private readonly batchSegments: number) {}

  /** Files the namer dropped as repeats of an earlier file. */
  get duplicateFiles(): number {
    return this.namer.duplicates;
  }

  /** The steps `event` completes (at most one). */
  async add(event: FileEvent): Promise<ImportStep | null> {
    switch (event.type) {
      case 'file': {
        this.hash(event.file.segments);
        const name = this.namer.name(event.file);
        if (name === null) return null;
        this.push(event.file, name);
        return this.segments >= this.batchSegments ? this.take(null) : null;
      }
      case 'file-start': {
        const idsFrom = this.idBytes;
        this.hash(event.file.segments);
        const name = this.namer.name(event.file);
        if (name !== null) this.push(event.file, name);
        this.openNamed = name !== null;
        return this.take({ file: stepFile(event.file, name ?? 'unnamed'), named: name !== null, namedSize: sizeFromSubject(event.file.subject), idsFrom });
      }
      case 'file-segments': {
        const segments = this.openNamed ? (await encodeSegmentLists([event.segments])).wire : null;
        return { type: 'part', segments, ids: utf8.encode(idText(event.segments)) };
      }
      case 'file-end': {
        const { tail, ...end } = event.end;
        return { type: 'end', end, tail };
      }
    }
  }

  /** The last batch, if anything is left. */
  async finish(): Promise<ImportStep | null> {
    return this.files.length > 0 || this.idBytes > 0 ? this.take(null) : null;
  }

  private hash(segments: NzbSegment[]): void {
    const text = idText(segments);
    this.ids.push(text);
    this.idBytes += Buffer.byteLength(text);
  }

  private push(file: NzbFile, name: string): void {
    this.files.push(stepFile(file, name));
    this.lists.push(file.segments);
    this.segments += file.segments.length;
  }

  private async take(open: StepOpen | null): Promise<ImportStep> {
    const { wire } = await encodeSegmentLists(this.lists);
    const step: ImportStep = { type: 'files', files: encodeFileColumns(this.files), segments: packLists(wire), ids: utf8.encode(this.ids.join('')), open };
    this.files = [];
    this.lists = [];
    this.ids = [];
    this.idBytes = 0;
    this.segments = 0;
    return step;
  }
}
