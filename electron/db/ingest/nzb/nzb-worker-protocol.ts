/** Messages between the NZB parse worker and the importer (validated by shape on receipt). */
import type { SerializedError } from '../../../../shared/errors';
import type { NzbFile, NzbHead, NzbParseSummary } from './nzb-types';

export interface ParseWorkerInput {
  path: string;
  name: string;
  batchSegments: number;
  maxInFlight: number;
}

/**
 * A batch of files in columns: structured-cloning a million small segment objects costs the
 * receiving thread more than the parsing it offloads, while typed arrays move without a copy
 * and one joined string copies in a single step.
 */
export interface FileColumns {
  files: Omit<NzbFile, 'segments'>[];
  /** Segments per file, in file order. */
  counts: Uint32Array<ArrayBuffer>;
  numbers: Float64Array<ArrayBuffer>;
  bytes: Float64Array<ArrayBuffer>;
  /** Message-ids joined by NUL (which XML cannot contain). */
  messageIds: string;
}

export function toColumns(files: NzbFile[]): FileColumns {
  let total = 0;
  for (const f of files) total += f.segments.length;
  const counts = new Uint32Array(files.length);
  const numbers = new Float64Array(total);
  const bytes = new Float64Array(total);
  const ids: string[] = new Array<string>(total);
  let i = 0;
  files.forEach((f, k) => {
    counts[k] = f.segments.length;
    for (const s of f.segments) {
      numbers[i] = s.number;
      bytes[i] = s.bytes;
      ids[i] = s.messageId;
      i++;
    }
  });
  const meta = files.map(({ segments: _segments, ...rest }) => rest);
  return { files: meta, counts, numbers, bytes, messageIds: ids.join('\u0000') };
}

export function fromColumns(c: FileColumns): NzbFile[] {
  const ids = c.messageIds.split('\u0000');
  let i = 0;
  return c.files.map((meta, k) => {
    const n = c.counts[k] ?? 0;
    const segments = new Array<NzbFile['segments'][number]>(n);
    for (let j = 0; j < n; j++, i++) segments[j] = { number: c.numbers[i] as number, bytes: c.bytes[i] as number, messageId: ids[i] as string };
    return { ...meta, segments };
  });
}

export type ParseWorkerMessage =
  | { type: 'head'; head: NzbHead }
  | { type: 'files'; columns: FileColumns }
  | { type: 'done'; summary: NzbParseSummary }
  | { type: 'error'; error: SerializedError; message: string };
