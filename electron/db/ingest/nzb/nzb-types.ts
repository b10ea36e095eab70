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

export type NzbEvent = { type: 'head'; head: NzbHead } | { type: 'file'; file: NzbFile };

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
