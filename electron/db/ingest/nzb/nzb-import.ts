/**
 * Imports NZB files into a collection. Each NZB becomes a folder named after it; its files are
 * written in streamed batches under a pending NZB source, and only when the whole document has
 * been read is the source marked complete. Anything that stops an NZB part-way (bad XML, a
 * cancel, a full disk) removes what that NZB had written, and a crash leaves a pending source
 * that the next open removes, so an NZB is in the catalog whole or not at all.
 *
 * Idempotent twice over: the SHA-256 of the file's bytes finds an identical file before any
 * parsing, and a dupe key over the message-ids (files in document order, each file's segments
 * in number order) finds the same posting saved differently; a duplicate adds nothing.
 *
 * Memory is bounded per file: a file longer than the parser's part size arrives in parts
 * (NzbEvent) and is written as it comes, first as an open file with its first part, then by
 * appends, and closed with its totals at its end; the dupe key is updated per part.
 *
 * The parse worker names the files and puts each batch's segments in columns
 * (nzb-import-steps.ts): this thread, which also answers the app's calls, makes no object per
 * segment. It adds the folder to the names, hashes each batch's message-ids in one string (in
 * pieces, a turn of the event loop between them) and hands the columns to the store.
 */
import { createHash, randomUUID, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StrataError, serializeError } from '../../../../shared/errors';
import type { NzbImportResult, NzbImportWarnings } from '../../../../shared/results';
import type { CatalogStore, ColumnarIngestBatch, IngestFile, NzbSourceInput } from '../../store';
import { copyColumnar, type ColumnarFile } from '../../engines/sqlite/columnar-batch';
import { decodeAppend } from '../../engines/sqlite/ingest-wire';
import { idText, type ImportStep } from './nzb-import-steps';
import { mergeTail } from './nzb-parser';
import { readNzbSteps } from './read-nzb-file';
import { emptyParseSummary, type NzbFileEnd, type NzbHead, type NzbParseSummary, type NzbSegment } from './nzb-types';

export interface NzbImportProgress {
  /** NZB files finished (imported, duplicate or failed) and in all. */
  nzbsDone: number;
  nzbsTotal: number;
  current: string;
  files: number;
  segments: number;
  bytes: number;
  elapsedMs: number;
  segmentsPerSecond: number;
}

export type { NzbImportResult, NzbImportWarnings } from '../../../../shared/results';

export interface ImportNzbOptions {
  signal?: AbortSignal;
  onProgress?: (progress: NzbImportProgress) => void;
  /** Segments per database transaction. */
  batchSegments?: number;
  /** Parse on the calling thread instead of a worker. */
  inline?: boolean;
  /** Segments of one file the parser holds before handing it over in parts (ParseNzbOptions). */
  maxFileSegments?: number;
}

/** Segments per read when a file's written parts are read back (mendOrder). */
const READ_BACK_PAGE = 10_000;

/** NZB files smaller than this are parsed on the importing thread. */
const INLINE_BELOW_BYTES = 4 * 1024 * 1024;

const NZB_NAME = /\.nzb(\.gz)?$|\.gz$/iu;
const PASSWORD_IN_NAME = /\{\{(.+?)\}\}/u;

/** "Movie {{pw}}.nzb" -> { title: "Movie", password: "pw" } */
export function describeNzbFileName(fileName: string): { title: string; password: string | null } {
  const password = PASSWORD_IN_NAME.exec(fileName)?.[1] ?? null;
  const title = fileName.replace(NZB_NAME, '').replace(PASSWORD_IN_NAME, '').replace(/\s+/gu, ' ').trim();
  return { title: title || 'Untitled NZB', password };
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 18 })) {
    hash.update(chunk as Buffer);
    // Read chunks come back to back in microtasks: hashing a 60 MB NZB in one go held this
    // thread, reads included, for 20-56 ms at a time. A turn between chunks lets them in.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return hash.digest('hex');
}

const emptyWarnings = (): NzbImportWarnings => ({
  emptyFiles: 0,
  invalidSegments: 0,
  duplicateSegments: 0,
  missingSegments: 0,
  emptyGroups: 0,
  duplicateFiles: 0,
  invalidMessageIds: 0,
  invalidGroups: 0,
});

function sourceFromHead(fileName: string, head: NzbHead, filePassword: string | null, contentHash: string, pendingKey: string): NzbSourceInput {
  const meta = head.meta;
  const passwords = [...new Set([...(meta.password ?? []), ...(filePassword ? [filePassword] : [])].filter(Boolean))];
  return {
    fileName,
    dupeKey: pendingKey,
    title: meta.title?.[0] ?? meta.name?.[0] ?? null,
    category: meta.category?.[0] ?? null,
    passwords,
    tags: meta.tag ?? [],
    meta,
    contentHash,
    pending: true,
  };
}

/** Bytes of message-ids hashed between two turns of the event loop (a tenth of a millisecond). */
const IDS_PER_TURN = 1 << 16;
const NEWLINE = 0x0a;
const utf8 = new TextEncoder();

/**
 * Feeds `ids[from, to)` (message-ids each followed by a newline, in UTF-8: idText) to the dupe
 * key, a turn of the event loop between pieces cut after a newline, so hashing a batch's two
 * megabytes never holds up a read. The bytes hashed are those of one update per file, as before.
 */
async function hashIds(hash: Hash, ids: Uint8Array, from = 0, to = ids.length): Promise<void> {
  while (from < to) {
    let end = from + IDS_PER_TURN;
    if (end >= to) end = to;
    else {
      const newline = ids.indexOf(NEWLINE, end);
      end = newline < 0 || newline >= to ? to : newline + 1;
    }
    hash.update(ids.subarray(from, end));
    from = end;
    if (from < to) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A step's file as the store's row, less its path. */
const rowOf = (f: ColumnarFile, sourceKey: string): Omit<IngestFile, 'segments' | 'path'> => ({
  size: f.size,
  subject: f.subject,
  poster: f.poster,
  postedAt: f.postedAt,
  groups: f.groups,
  missingNumbers: f.missingNumbers,
  duplicates: f.duplicates,
  sourceKey,
});

/** A file arriving in parts, between its start and its end. */
interface OpenFile {
  /** null when the namer dropped it as a repeat of an earlier file: its parts are only hashed. */
  path: string | null;
  fileId: number | null;
  /** The size its subject names, if any (else the sum of its segments, known at the end). */
  namedSize: number | null;
  /** Its row as first written, to write it again whole when its order must be mended. */
  header: Omit<IngestFile, 'segments' | 'path'>;
  /** The dupe key as it was before this file, for a file whose order must be mended at its end. */
  keyBefore: Hash;
  /** What the store reported for it so far. */
  segments: number;
  bytes: number;
}

export async function importNzbFile(
  store: CatalogStore,
  collectionId: number,
  nzbPath: string,
  options: ImportNzbOptions = {},
  report?: (delta: { files: number; segments: number; bytes: number }) => void,
): Promise<NzbImportResult> {
  const fileName = path.basename(nzbPath);
  const { title, password } = describeNzbFileName(fileName);
  const result: NzbImportResult = {
    file: nzbPath,
    status: 'failed',
    folder: null,
    sourceId: null,
    files: 0,
    segments: 0,
    bytes: 0,
    passwords: [],
    warnings: emptyWarnings(),
  };
  const batchSegments = options.batchSegments ?? 50_000;
  let sourceId: number | null = null;
  try {
    let size: number;
    try {
      const stat = fs.statSync(nzbPath);
      if (!stat.isFile()) throw new Error('not a file');
      size = stat.size;
    } catch (error) {
      throw new StrataError('io', `${nzbPath} cannot be read (${(error as Error).message}).`, { file: nzbPath });
    }
    const contentHash = await sha256File(nzbPath);
    const known = await store.getNzbSource(collectionId, { contentHash });
    if (known) {
      result.status = 'duplicate';
      result.sourceId = known.id;
      result.passwords = known.passwords;
      return result;
    }
    const pendingKey = `pending:${randomUUID()}`;
    const reading = readNzbSteps(nzbPath, {
      name: fileName,
      batchSegments,
      ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
      ...(options.signal ? { signal: options.signal } : {}),
      // Starting a worker costs ~0.2 s, more than parsing a small NZB takes.
      ...(options.inline || size < INLINE_BELOW_BYTES ? { inline: true } : {}),
    });
    let dupe = createHash('sha256');
    // Figures of files whose order was mended here (mergeTail), which the parser could not count.
    const mended = emptyParseSummary();
    let open: OpenFile | null = null;
    let source: NzbSourceInput | null = null;
    // Another NZB of the same name keeps its folder; this one gets "Name (2)", "Name (3)", ...
    let folder = title;
    for (let n = 2; (await store.resolvePath(collectionId, folder)) !== null && n < 1000; n++) folder = `${title} (${n})`;

    /** Writes one batch of the reader's (its last file open when `opened`). */
    const flush = async (step: Extract<ImportStep, { type: 'files' }>, opened: boolean): Promise<void> => {
      if (step.files.count === 0) return;
      const first = sourceId === null;
      const batch: ColumnarIngestBatch = {
        columnar: true,
        folder,
        sourceKey: pendingKey,
        lastOpen: opened,
        files: step.files,
        segments: step.segments,
        ...(first && source ? { sources: [source] } : {}),
      };
      for (let attempt = 2; ; attempt++) {
        try {
          // The first batch may be sent again (below), so it goes as a copy: a store with a
          // writer thread transfers the buffers of what it is given.
          const r = await store.ingest(collectionId, [first ? copyColumnar(batch) : batch]);
          sourceId ??= r.sourceIds[pendingKey] ?? null;
          result.files += r.files;
          result.segments += r.segments;
          result.bytes += r.bytes;
          report?.({ files: r.files, segments: r.segments, bytes: r.bytes });
          break;
        } catch (error) {
          // A folder of this name appeared meanwhile: the first batch (nothing of it committed)
          // moves to the next free name.
          if (!first || !(error instanceof StrataError) || error.code !== 'conflict' || attempt > 100) throw error;
          folder = `${folder} (${attempt})`;
          batch.folder = folder;
        }
      }
      // No yield needed here: store.ingest returns to the event loop after every batch, which
      // is what lets a cancel or another call in while parsed files keep arriving.
    };

    for await (const step of reading.steps) {
      if (step.type === 'head') {
        source = sourceFromHead(fileName, step.head, password, contentHash, pendingKey);
        result.passwords = source.passwords ?? [];
        continue;
      }
      if (step.type === 'files') {
        const start = step.open;
        if (!start) {
          await hashIds(dupe, step.ids);
          await flush(step, false);
        } else {
          await hashIds(dupe, step.ids, 0, start.idsFrom);
          const keyBefore = dupe.copy();
          await hashIds(dupe, step.ids, start.idsFrom);
          open = { path: null, fileId: null, namedSize: start.namedSize, header: rowOf(start.file, pendingKey), keyBefore, segments: 0, bytes: 0 };
          // Written with the batch it joins, open: it reads partial until its end closes it.
          await flush(step, start.named);
          if (start.named) {
            // The flush may have moved the NZB's folder to a free name.
            open.path = `${folder}/${start.file.name}`;
            const written = await store.resolvePath(collectionId, open.path);
            if (written?.kind !== 'file') throw new StrataError('internal', `Importing ${fileName}: ${open.path} was not written.`);
            open.fileId = written.file.id;
            open.segments = written.file.segmentCount;
            open.bytes = written.file.bytes;
          }
        }
      } else if (step.type === 'part') {
        if (!open) throw new StrataError('internal', `Importing ${fileName}: segments arrived outside a file.`);
        await hashIds(dupe, step.ids);
        if (open.fileId !== null && step.segments) {
          const r = await store.appendSegments(open.fileId, decodeAppend({ segments: step.segments }));
          open.segments += r.segments;
          open.bytes += r.bytes;
          result.segments += r.segments;
          result.bytes += r.bytes;
          report?.({ files: 0, segments: r.segments, bytes: r.bytes });
        }
      } else {
        if (!open) throw new StrataError('internal', `Importing ${fileName}: a file ended that never started.`);
        const current: OpenFile = open;
        open = null;
        const end: NzbFileEnd = { ...step.end, tail: step.tail };
        if (end.tail === null) {
          if (current.fileId !== null) {
            await store.appendSegments(current.fileId, {
              segments: [],
              final: { size: current.namedSize ?? current.bytes, missingNumbers: end.missingNumbers, duplicates: end.duplicates, groups: end.groups },
            });
          }
        } else {
          dupe = await mendOrder(store, collectionId, current, end, dupe, mended, (d) => {
            result.segments += d.segments;
            result.bytes += d.bytes;
            report?.({ files: 0, ...d });
          });
        }
      }
      if (options.signal?.aborted) throw new StrataError('cancelled', `Importing ${fileName} was cancelled.`);
    }
    result.folder = folder;
    const summary: NzbParseSummary = reading.summary;
    result.warnings = {
      emptyFiles: summary.emptyFiles,
      invalidSegments: summary.invalidSegments,
      duplicateSegments: summary.duplicateSegments + mended.duplicateSegments,
      missingSegments: summary.missingSegments + mended.missingSegments,
      emptyGroups: summary.emptyGroups,
      duplicateFiles: reading.duplicateFiles(),
      invalidMessageIds: summary.invalidMessageIds,
      invalidGroups: summary.invalidGroups,
    };
    if (sourceId === null) throw new StrataError('internal', `Importing ${fileName} wrote no files.`);
    try {
      await store.finishNzbSource(sourceId, { dupeKey: `mid:${dupe.digest('hex')}` });
    } catch (error) {
      if (error instanceof StrataError && error.code === 'conflict') {
        // The same posting under different bytes: take this copy out again.
        await store.removeNzbSource(sourceId);
        const existingId = error.details?.existingId;
        sourceId = typeof existingId === 'number' ? existingId : null;
        result.sourceId = sourceId;
        const existing = sourceId === null ? null : await store.getNzbSource(collectionId, { id: sourceId });
        result.passwords = existing?.passwords ?? [];
        result.status = 'duplicate';
        result.files = 0;
        result.segments = 0;
        result.bytes = 0;
        result.folder = null;
        return result;
      }
      throw error;
    }
    result.sourceId = sourceId;
    result.status = 'imported';
    return result;
  } catch (error) {
    if (sourceId !== null) {
      // All or nothing: what this NZB wrote goes again. If even that fails (the disk is gone),
      // the pending source is removed at the next open.
      await store.removeNzbSource(sourceId).catch(() => undefined);
      report?.({ files: -result.files, segments: -result.segments, bytes: -result.bytes });
    }
    result.status = error instanceof StrataError && error.code === 'cancelled' ? 'cancelled' : 'failed';
    result.error = serializeError(error);
    result.passwords = [];
    result.files = 0;
    result.segments = 0;
    result.bytes = 0;
    result.folder = null;
    result.sourceId = null;
    return result;
  }
}

/**
 * Ends a file that left increasing order after its first part (NzbFileEnd.tail): its written
 * parts are read back, put in order with the tail exactly as a whole file would have been, and
 * written again whole in place of the open file. Memory is then that of the whole file, as
 * before parts existed; posters write segments in order, so this is the rare case. Returns the
 * dupe key with this file's segments hashed in number order, as for a file that came whole.
 *
 * A repeat the namer dropped was never written, so its parts cannot be read back: its key
 * contribution is its parts as they came, then its tail in order. That differs from the key of
 * a whole file only for a file listed twice, over a part long and out of order after it.
 */
async function mendOrder(
  store: CatalogStore,
  collectionId: number,
  file: OpenFile,
  end: NzbFileEnd,
  running: Hash,
  mended: NzbParseSummary,
  report: (delta: { segments: number; bytes: number }) => void,
): Promise<Hash> {
  const tail = end.tail ?? [];
  if (file.fileId === null || file.path === null) {
    // Nor does it count into the warnings' missing and duplicate segments.
    await hashIds(running, utf8.encode(idText(mergeTail([], tail, emptyParseSummary()).segments)));
    return running;
  }
  const handed: NzbSegment[] = [];
  for (let after = 0; ; ) {
    const page = await store.getSegments({ fileId: file.fileId, afterNumber: after, limit: READ_BACK_PAGE });
    for (const s of page) handed.push({ number: s.number, bytes: s.bytes, messageId: s.messageId ?? '' });
    const last = page[page.length - 1];
    if (!last || page.length < READ_BACK_PAGE) break;
    after = last.number;
  }
  const whole = mergeTail(handed, tail, mended);
  const key = file.keyBefore;
  await hashIds(key, utf8.encode(idText(whole.segments)));
  let bytes = 0;
  for (const s of whole.segments) bytes += s.bytes;
  // Replaced in one transaction: the open file and its parts go, the whole file comes.
  const r = await store.ingest(
    collectionId,
    [
      {
        files: [
          {
            ...file.header,
            path: file.path,
            size: file.namedSize ?? bytes,
            groups: end.groups,
            missingNumbers: whole.missingNumbers,
            duplicates: whole.duplicates,
            segments: whole.segments,
          },
        ],
      },
    ],
    { onExisting: 'replace' },
  );
  report({ segments: r.segments - file.segments, bytes: r.bytes - file.bytes });
  return key;
}

/** Lists the NZB files named by the inputs: files as given, folders searched recursively. */
export function collectNzbPaths(inputs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 32) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, depth + 1);
      else if (entry.isFile() && /\.nzb(\.gz)?$/iu.test(entry.name)) out.push(full);
    }
  };
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      out.push(input);
      continue;
    }
    if (stat.isDirectory()) walk(input, 0);
    else out.push(input);
  }
  return out;
}

/** Imports many NZBs one after another; a bad one is reported and the rest still import. */
export async function importNzbs(
  store: CatalogStore,
  collectionId: number,
  inputs: string[],
  options: ImportNzbOptions = {},
): Promise<{ results: NzbImportResult[]; imported: number; duplicates: number; failed: number; files: number; segments: number; bytes: number; elapsedMs: number }> {
  const paths = collectNzbPaths(inputs);
  const started = performance.now();
  const totals = { files: 0, segments: 0, bytes: 0 };
  const results: NzbImportResult[] = [];
  // Called once per committed batch (tens of thousands of segments), so no throttle is needed.
  const progress = (current: string): void => {
    const elapsedMs = performance.now() - started;
    options.onProgress?.({
      nzbsDone: results.length,
      nzbsTotal: paths.length,
      current,
      ...totals,
      elapsedMs,
      segmentsPerSecond: elapsedMs > 0 ? Math.round((totals.segments / elapsedMs) * 1000) : 0,
    });
  };
  for (const nzb of paths) {
    if (options.signal?.aborted) break;
    const r = await importNzbFile(store, collectionId, nzb, options, (d) => {
      totals.files += d.files;
      totals.segments += d.segments;
      totals.bytes += d.bytes;
      progress(nzb);
    });
    results.push(r);
    progress(nzb);
    if (r.status === 'cancelled') break;
  }
  return {
    results,
    imported: results.filter((r) => r.status === 'imported').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    failed: results.filter((r) => r.status === 'failed' || r.status === 'cancelled').length,
    ...totals,
    elapsedMs: performance.now() - started,
  };
}
