/**
 * A streaming NZB reader: bytes in (plain or gzip, UTF-8 or ISO-8859-1), one event per `<file>`
 * out, never the whole document in memory. XML is read by saxes, which does not load DTDs
 * or define entities from them: a DOCTYPE is read past, never fetched, and any entity but the
 * five predefined ones and character references is an error, which stops billion-laughs and
 * external-entity documents before they can cost anything.
 */
import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { createGunzip } from 'node:zlib';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { StrataError } from '../../../../shared/errors';
import { emptyParseSummary, type NzbEvent, type NzbFile, type NzbFileEnd, type NzbHead, type NzbParseSummary, type NzbSegment } from './nzb-types';
import { isValidGroupName, isValidMessageId } from './nzb-ids';

export interface ParseNzbOptions {
  /** How the document is named in messages (its file name). */
  name: string;
  signal?: AbortSignal;
  /** Longest stretch of characters without markup (a text or attribute value), in characters. */
  maxRunChars?: number;
  maxDepth?: number;
  /** Segments of one file held before it is handed over in parts (see NzbEvent). */
  maxFileSegments?: number;
}

export interface ParsedNzb {
  events: AsyncGenerator<NzbEvent>;
  /** Filled in as `events` is consumed; complete once it is exhausted. */
  summary: NzbParseSummary;
  /** The most segments of one file the reader held at once: what bounds its memory. */
  held: { maxSegments: number };
}

/**
 * 10,000 segments per part (a 7.7 GB file at the usual 768,000-byte articles), so nearly every
 * file of a real NZB still comes whole. Chosen by `npm run bench -- nzb-memory` (2M segments in
 * one file): parts of 50,000 peaked at 408 MB RSS, of 10,000 at 290 MB, of 5,000 at 278 MB,
 * slower in that run (docs/benchmarks.md, "NZB import memory"). Every part is a copy in the parser,
 * the worker's message and the importer, so the part size multiplies, not the file size.
 */
export const DEFAULT_MAX_FILE_SEGMENTS = 10_000;

const DEFAULT_MAX_RUN = 1 << 20;
const DEFAULT_MAX_DEPTH = 32;

/**
 * A file being read. `streaming` once its first part went out: `segments` then holds only the
 * part being filled, and `tail` every segment after the file left increasing order.
 */
interface OpenFile extends NzbFile {
  sorted: boolean;
  lastNumber: number;
  streaming: boolean;
  sentSegments: number;
  sentBytes: number;
  tail: NzbSegment[] | null;
}

/**
 * Segments in number order, one per number: of two with one number the first in the document
 * stays (a stable sort), and a second one with a different message-id counts as a duplicate.
 */
export function sortUnique(segments: NzbSegment[]): { segments: NzbSegment[]; duplicates: number } {
  const sorted = [...segments].sort((a, b) => a.number - b.number);
  const unique: NzbSegment[] = [];
  let duplicates = 0;
  for (const s of sorted) {
    const previous = unique[unique.length - 1];
    if (previous && previous.number === s.number) {
      if (previous.messageId !== s.messageId) duplicates++;
      continue;
    }
    unique.push(s);
  }
  return { segments: unique, duplicates };
}

/**
 * Completes a file that left increasing order after its first part: `handed` is every segment
 * of its parts (increasing, as handed over), `tail` the rest in document order. Gives what the
 * whole file would have been and adds its figures to the summary, which the reader could not.
 */
export function mergeTail(
  handed: NzbSegment[],
  tail: NzbSegment[],
  summary: NzbParseSummary,
): { segments: NzbSegment[]; duplicates: number; missingNumbers: number } {
  const { segments, duplicates } = sortUnique(handed.concat(tail));
  const highest = segments.length === 0 ? 0 : (segments[segments.length - 1] as NzbSegment).number;
  const missingNumbers = highest - segments.length;
  summary.segments += segments.length;
  for (const s of segments) summary.bytes += s.bytes;
  summary.duplicateSegments += duplicates;
  summary.missingSegments += missingNumbers;
  return { segments, duplicates, missingNumbers };
}

const invalid = (name: string, what: string, details: Record<string, unknown> = {}): StrataError =>
  new StrataError('nzb-invalid', `${name} ${what}`, { file: name, ...details });

const localName = (tag: string): string => {
  const colon = tag.indexOf(':');
  return (colon === -1 ? tag : tag.slice(colon + 1)).toLowerCase();
};

async function* gunzipIfNeeded(source: AsyncIterable<Buffer>, name: string): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: async (value?: unknown) => (iterator.return ? iterator.return(value) : { done: true, value: undefined }),
    }),
  };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    async function* all(): AsyncGenerator<Buffer> {
      yield head;
      yield* rest;
    }
    const gunzip = Readable.from(all()).pipe(createGunzip());
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (error) {
      throw invalid(name, `is a damaged gzip file (${(error as Error).message}); download it again.`);
    }
    return;
  }
  yield head;
  yield* rest;
}

/** Picks the text decoding from a byte-order mark or the XML declaration (UTF-8 by default). */
function chooseDecoder(start: Buffer, name: string): TextDecoder {
  if (start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf) return new TextDecoder('utf-8', { ignoreBOM: false });
  if (start[0] === 0xff && start[1] === 0xfe) return new TextDecoder('utf-16le');
  if (start[0] === 0xfe && start[1] === 0xff) return new TextDecoder('utf-16be');
  const declaration = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/u.exec(start.subarray(0, 200).toString('latin1'));
  const label = declaration?.[1]?.toLowerCase() ?? 'utf-8';
  try {
    return new TextDecoder(label);
  } catch {
    throw invalid(name, `declares the text encoding "${label}", which Strata cannot read; save it as UTF-8.`);
  }
}

class NzbDocumentReader {
  readonly queue: NzbEvent[] = [];
  readonly summary: NzbParseSummary = emptyParseSummary();
  private depth = 0;
  private rootSeen = false;
  private headSent = false;
  private readonly meta: Record<string, string[]> = {};
  private metaType: string | null = null;
  private text = '';
  private collecting = false;
  private file: OpenFile | null = null;
  /** See ParsedNzb.held. */
  readonly held = { maxSegments: 0 };
  private segmentAttrs: { bytes: string | undefined; number: string | undefined } | null = null;
  private run = 0;

  constructor(
    private readonly name: string,
    private readonly maxRun: number,
    private readonly maxDepth: number,
    private readonly maxFileSegments: number,
    private readonly parser = new SaxesParser({ xmlns: false, position: true }),
  ) {
    parser.on('opentag', (tag) => this.open(tag));
    parser.on('closetag', (tag) => this.close(tag));
    parser.on('text', (text) => {
      if (this.collecting) this.text += text;
    });
  }

  write(chunk: string): void {
    // Bounds every text, attribute and tag, which saxes buffers whole until they end. Only '<'
    // starts markup ('>' may stand in text and attribute values), so the distance between two
    // '<' bounds them all; it is checked within the chunk and across chunks.
    let at = chunk.lastIndexOf('<');
    if (at === -1) {
      this.run += chunk.length;
    } else if (this.run + chunk.length <= this.maxRun) {
      // No stretch inside this chunk can be over the bound; only the tail carries over.
      this.run = chunk.length - at;
    } else {
      at = chunk.indexOf('<');
      let longest = this.run + at;
      for (let next = chunk.indexOf('<', at + 1); next !== -1; next = chunk.indexOf('<', next + 1)) {
        if (next - at > longest) longest = next - at;
        at = next;
      }
      if (longest > this.maxRun) this.tooLong();
      this.run = chunk.length - at;
    }
    if (this.run > this.maxRun) this.tooLong();
    this.guard(() => this.parser.write(chunk));
  }

  private tooLong(): never {
    throw invalid(this.name, `has a single text or tag longer than ${this.maxRun} characters; it is not a usable NZB.`);
  }

  end(): void {
    this.guard(() => this.parser.close());
    if (!this.rootSeen) throw invalid(this.name, 'is empty; it is not an NZB file.');
    this.sendHead();
    if (this.summary.files === 0) {
      throw invalid(this.name, 'contains no files with segments; there is nothing to import.', { emptyFiles: this.summary.emptyFiles });
    }
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (error instanceof StrataError) throw error;
      const p = this.parser;
      const reason = (error as Error).message.replace(/^(?:[^:]*:)?\d+:\d+: /u, '');
      throw invalid(this.name, `is not a well-formed NZB (line ${p.line}, column ${p.column}: ${reason}).`, {
        line: p.line,
        column: p.column,
      });
    }
  }

  private open(tag: SaxesTagPlain): void {
    this.depth++;
    if (this.depth > this.maxDepth) throw invalid(this.name, `nests elements more than ${this.maxDepth} deep; it is not an NZB.`);
    const name = localName(tag.name);
    if (this.depth === 1) {
      if (name === 'error') {
        const code = tag.attributes.code ?? '?';
        const description = tag.attributes.description ?? 'no description';
        throw new StrataError(
          'nzb-indexer-error',
          `${this.name} is an error message from the indexer, not an NZB (error ${code}: ${description}). Check the indexer's API key or request and download it again.`,
          { file: this.name, indexerCode: code, description },
        );
      }
      if (name !== 'nzb') throw invalid(this.name, `is not an NZB file (its document is <${tag.name}>, not <nzb>).`);
      this.rootSeen = true;
      return;
    }
    switch (name) {
      case 'meta':
        this.metaType = (tag.attributes.type ?? '').trim().toLowerCase() || 'unknown';
        this.startText();
        return;
      case 'file':
        this.sendHead();
        this.file = {
          subject: tag.attributes.subject ?? '',
          poster: tag.attributes.poster ?? null,
          date: parseWhole(tag.attributes.date),
          groups: [],
          segments: [],
          missingNumbers: 0,
          duplicates: 0,
          invalidSegments: 0,
          sorted: true,
          lastNumber: 0,
          streaming: false,
          sentSegments: 0,
          sentBytes: 0,
          tail: null,
        };
        return;
      case 'group':
        if (this.file) this.startText();
        return;
      case 'segment':
        if (this.file) {
          this.segmentAttrs = { bytes: tag.attributes.bytes, number: tag.attributes.number };
          this.startText();
        }
        return;
      default:
        return;
    }
  }

  private close(tag: SaxesTagPlain): void {
    this.depth--;
    const name = localName(tag.name);
    switch (name) {
      case 'meta': {
        const value = this.takeText().trim();
        const type = this.metaType ?? 'unknown';
        (this.meta[type] ??= []).push(value);
        this.metaType = null;
        return;
      }
      case 'head':
        this.sendHead();
        return;
      case 'group': {
        if (!this.file) return;
        const group = this.takeText().trim();
        if (!group) this.summary.emptyGroups++;
        else if (isValidGroupName(group)) this.file.groups.push(group);
        else this.summary.invalidGroups++;
        return;
      }
      case 'segment':
        if (this.file && this.segmentAttrs) this.addSegment(this.file, this.segmentAttrs, this.takeText());
        this.segmentAttrs = null;
        return;
      case 'file':
        if (this.file) this.finishFile(this.file);
        this.file = null;
        return;
      default:
        return;
    }
  }

  private startText(): void {
    this.collecting = true;
    this.text = '';
  }

  private takeText(): string {
    this.collecting = false;
    const text = this.text;
    this.text = '';
    return text;
  }

  private sendHead(): void {
    if (this.headSent) return;
    this.headSent = true;
    const head: NzbHead = { meta: this.meta };
    this.queue.push({ type: 'head', head });
  }

  private addSegment(file: OpenFile, attrs: { bytes: string | undefined; number: string | undefined }, text: string): void {
    const number = parseWhole(attrs.number);
    const bytes = parseWhole(attrs.bytes);
    let messageId = text.trim();
    if (messageId.startsWith('<') && messageId.endsWith('>')) messageId = messageId.slice(1, -1).trim();
    if (number === null || number < 1 || bytes === null || messageId === '') {
      file.invalidSegments++;
      return;
    }
    if (!isValidMessageId(messageId)) {
      this.summary.invalidMessageIds++;
      return;
    }
    const segment: NzbSegment = { number, bytes, messageId };
    if (file.tail !== null) {
      file.tail.push(segment);
    } else if (file.streaming && number <= file.lastNumber) {
      // Out of order after parts went out: the rest is kept until the file ends (NzbFileEnd).
      file.tail = [segment];
    } else {
      if (number <= file.lastNumber) file.sorted = false;
      file.lastNumber = number;
      file.segments.push(segment);
    }
    const held = file.segments.length + (file.tail?.length ?? 0);
    if (held > this.held.maxSegments) this.held.maxSegments = held;
    // A file whose first part is out of order is held whole, as before parts existed: it
    // cannot be handed over in increasing parts, and such files are small in practice.
    if (file.segments.length >= this.maxFileSegments && file.sorted) this.sendPart(file);
  }

  private sendPart(file: OpenFile): void {
    const segments = file.segments;
    file.segments = [];
    file.sentSegments += segments.length;
    for (const s of segments) file.sentBytes += s.bytes;
    if (file.streaming) {
      this.queue.push({ type: 'file-segments', segments });
      return;
    }
    file.streaming = true;
    const start: NzbFile = {
      subject: file.subject,
      poster: file.poster,
      date: file.date,
      groups: [...file.groups],
      segments,
      missingNumbers: 0,
      duplicates: 0,
      invalidSegments: 0,
    };
    this.queue.push({ type: 'file-start', file: start });
  }

  private endStreamedFile(file: OpenFile): void {
    if (file.segments.length > 0) this.sendPart(file);
    this.summary.files++;
    this.summary.invalidSegments += file.invalidSegments;
    const end: NzbFileEnd = {
      groups: file.groups,
      missingNumbers: file.tail === null ? file.lastNumber - file.sentSegments : 0,
      duplicates: 0,
      invalidSegments: file.invalidSegments,
      segments: file.sentSegments,
      bytes: file.sentBytes,
      tail: file.tail,
    };
    if (file.tail === null) {
      this.summary.segments += file.sentSegments;
      this.summary.bytes += file.sentBytes;
      this.summary.missingSegments += end.missingNumbers;
    }
    this.queue.push({ type: 'file-end', end });
  }

  private finishFile(file: OpenFile): void {
    if (file.streaming) {
      this.endStreamedFile(file);
      return;
    }
    let segments: NzbSegment[] = file.segments;
    if (!file.sorted) {
      const sorted = sortUnique(segments);
      segments = sorted.segments;
      file.duplicates += sorted.duplicates;
    }
    const highest = segments.length === 0 ? 0 : (segments[segments.length - 1] as NzbSegment).number;
    this.summary.invalidSegments += file.invalidSegments;
    if (segments.length === 0) {
      this.summary.emptyFiles++;
      return;
    }
    const out: NzbFile = {
      subject: file.subject,
      poster: file.poster,
      date: file.date,
      groups: file.groups,
      segments,
      missingNumbers: highest - segments.length,
      duplicates: file.duplicates,
      invalidSegments: file.invalidSegments,
    };
    this.summary.files++;
    this.summary.segments += segments.length;
    for (const s of segments) this.summary.bytes += s.bytes;
    this.summary.duplicateSegments += out.duplicates;
    this.summary.missingSegments += out.missingNumbers;
    this.queue.push({ type: 'file', file: out });
  }
}

function parseWhole(value: string | undefined): number | null {
  if (value === undefined) return null;
  // Plain digits (nearly every attribute) without a regular expression: this runs twice per segment.
  if (value.length > 0 && value.length <= 15) {
    let n = 0;
    let i = 0;
    for (; i < value.length; i++) {
      const c = value.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
    }
    if (i === value.length) return n;
  }
  const trimmed = value.trim();
  return /^\d{1,15}$/u.test(trimmed) ? Number(trimmed) : null;
}

/** Reads an NZB from a byte stream; see ParsedNzb. */
export function parseNzb(source: AsyncIterable<Buffer>, options: ParseNzbOptions): ParsedNzb {
  const reader = new NzbDocumentReader(
    options.name,
    options.maxRunChars ?? DEFAULT_MAX_RUN,
    options.maxDepth ?? DEFAULT_MAX_DEPTH,
    options.maxFileSegments ?? DEFAULT_MAX_FILE_SEGMENTS,
  );
  async function* events(): AsyncGenerator<NzbEvent> {
    let decoder: TextDecoder | null = null;
    // The encoding is read from the first bytes (a byte-order mark, the XML declaration); they
    // are gathered until there are enough, however the source happens to be chunked.
    let start: Buffer[] = [];
    let startLength = 0;
    let sawBytes = false;
    for await (const chunk of gunzipIfNeeded(source, options.name)) {
      if (options.signal?.aborted) throw new StrataError('cancelled', `Reading ${options.name} was cancelled.`);
      if (chunk.length === 0) continue;
      sawBytes = true;
      let bytes = chunk;
      if (!decoder) {
        start.push(chunk);
        startLength += chunk.length;
        if (startLength < 512) continue;
        bytes = Buffer.concat(start);
        start = [];
        decoder = chooseDecoder(bytes, options.name);
      }
      reader.write(decoder.decode(bytes, { stream: true }));
      if (reader.queue.length > 0) yield* reader.queue.splice(0, reader.queue.length);
    }
    if (!sawBytes) throw invalid(options.name, 'is empty; it is not an NZB file.');
    if (!decoder && startLength > 0) {
      const bytes = Buffer.concat(start);
      decoder = chooseDecoder(bytes, options.name);
      reader.write(decoder.decode(bytes, { stream: true }));
    }
    if (decoder) reader.write(decoder.decode());
    reader.end();
    if (reader.queue.length > 0) yield* reader.queue.splice(0, reader.queue.length);
  }
  return { events: events(), summary: reader.summary, held: reader.held };
}

/**
 * The same events with every file whole: parts are put together again (and a file that left
 * number order mended), so a file costs its whole size in memory. For readers that need a
 * whole file at once (attaching posting results, tests); `summary` receives what mending adds.
 */
export async function* wholeFiles(events: AsyncIterable<NzbEvent>, summary: NzbParseSummary): AsyncGenerator<Extract<NzbEvent, { type: 'head' | 'file' }>> {
  let open: NzbFile | null = null;
  for await (const event of events) {
    switch (event.type) {
      case 'head':
      case 'file':
        yield event;
        break;
      case 'file-start':
        open = { ...event.file, segments: [...event.file.segments] };
        break;
      case 'file-segments':
        for (const s of event.segments) open?.segments.push(s);
        break;
      case 'file-end': {
        if (!open) break;
        const end = event.end;
        const whole: NzbFile = { ...open, groups: end.groups, missingNumbers: end.missingNumbers, duplicates: end.duplicates, invalidSegments: end.invalidSegments };
        if (end.tail !== null) Object.assign(whole, mergeTail(open.segments, end.tail, summary));
        open = null;
        yield { type: 'file', file: whole };
        break;
      }
    }
  }
}

/** Reads the whole document, files handed over in parts put together again; for small NZBs and tests. */
export async function readNzb(source: AsyncIterable<Buffer>, options: ParseNzbOptions): Promise<{ head: NzbHead; files: NzbFile[]; summary: NzbParseSummary }> {
  const parsed = parseNzb(source, options);
  let head: NzbHead = { meta: {} };
  const files: NzbFile[] = [];
  for await (const event of wholeFiles(parsed.events, parsed.summary)) {
    if (event.type === 'head') head = event.head;
    else files.push(event.file);
  }
  return { head, files, summary: parsed.summary };
}
