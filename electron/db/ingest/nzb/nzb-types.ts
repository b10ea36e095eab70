/** What the NZB parser yields, before anything is written to a store. */

export interface NzbSegment {
  number: number;
  bytes: number;
  messageId: string;
}

export interface NzbFile {
  subject: string;
  poster: string | null;
  /** Seconds since the epoch, as in the NZB `date` attribute. */
  date: number | null;
  groups: string[];
  /** Ordered by number, one per number. */
  segments: NzbSegment[];
  /** Numbers between 1 and the highest number seen that have no segment. */
  missingNumbers: number;
  /** Repeated numbers with a different message-id (the first is kept). */
  duplicates: number;
  /** Segments dropped for lacking bytes, number or message-id. */
  invalidSegments: number;
}

export interface NzbHead {
  /** Every `<meta type=…>`, repeated and unknown types kept, in document order. */
  meta: Record<string, string[]>;
}

/**
 * The end of a file handed over in parts. A file whose segments left increasing order after
 * its first part carries the rest of its segments in `tail`, in document order: the parts
 * already handed over are needed to sort and deduplicate it (mergeTail in nzb-parser.ts), and
 * its `missingNumbers` and `duplicates` are known only then (here they are 0).
 */
export interface NzbFileEnd {
  /** Every group of the file, also those listed after its first part. */
  groups: string[];
  missingNumbers: number;
  duplicates: number;
  invalidSegments: number;
  /** Segments and bytes handed over in the parts (tail excluded). */
  segments: number;
  bytes: number;
  tail: NzbSegment[] | null;
}

/**
 * A file that ends within the parser's `maxFileSegments` segments comes whole (`file`), as does
 * one out of number order within them (held whole, as before parts). A longer one comes in
 * parts, so no one holds all of it: `file-start` (its header and first segments, in increasing
 * order), `file-segments` batches (increasing, each above the one before), then `file-end`.
 */
export type NzbEvent =
  | { type: 'head'; head: NzbHead }
  | { type: 'file'; file: NzbFile }
  | { type: 'file-start'; file: NzbFile }
  | { type: 'file-segments'; segments: NzbSegment[] }
  | { type: 'file-end'; end: NzbFileEnd };

export interface NzbParseSummary {
  files: number;
  segments: number;
  bytes: number;
  /** `<file>` elements without one usable segment; not yielded. */
  emptyFiles: number;
  invalidSegments: number;
  duplicateSegments: number;
  missingSegments: number;
  emptyGroups: number;
  /** Segments dropped because their message-id holds whitespace, a control character or an angle bracket. */
  invalidMessageIds: number;
  /** Group names dropped for the same reason. */
  invalidGroups: number;
}

export const emptyParseSummary = (): NzbParseSummary => ({
  files: 0,
  segments: 0,
  bytes: 0,
  emptyFiles: 0,
  invalidSegments: 0,
  duplicateSegments: 0,
  missingSegments: 0,
  emptyGroups: 0,
  invalidMessageIds: 0,
  invalidGroups: 0,
});
