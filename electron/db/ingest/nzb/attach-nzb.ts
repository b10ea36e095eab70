/**
 * Posting results: the NZB an uploader (ngPost, Nyuu) wrote for files of an indexed collection.
 * Each NZB file is matched to a catalogued file by name (from its subject), then by segment
 * count when names repeat, and each segment's size is checked against the catalogued segment
 * before its message-id is attached and the segment marked uploaded.
 *
 * NZB `bytes` are article sizes (yEnc-encoded: a few percent larger than the data, plus
 * headers), so a segment matches when the article is at least the data and at most 10% plus
 * 8 KiB more.
 */
import path from 'node:path';
import type { FileEntry } from '../../../../shared/domain';
import { StrataError } from '../../../../shared/errors';
import type { AttachMismatch, AttachResult } from '../../../../shared/results';
import type { CatalogStore, SegmentUpdate } from '../../store';
import { wholeFiles } from './nzb-parser';
import { readNzbFile } from './read-nzb-file';
import { fileNameFromSubject } from './subject-name';
import type { NzbFile } from './nzb-types';

export type { AttachMismatch, AttachResult } from '../../../../shared/results';

const MAX_LISTED = 1000;

export function articleFits(dataBytes: number, articleBytes: number): boolean {
  return articleBytes >= dataBytes && articleBytes <= dataBytes * 1.1 + 8192;
}

export async function attachNzb(
  store: CatalogStore,
  collectionId: number,
  nzbPath: string,
  options: { signal?: AbortSignal; inline?: boolean; maxFileSegments?: number } = {},
): Promise<AttachResult> {
  await store.getCollection(collectionId);
  const reading = readNzbFile(nzbPath, {
    name: path.basename(nzbPath),
    ...(options.maxFileSegments === undefined ? {} : { maxFileSegments: options.maxFileSegments }),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.inline ? { inline: true } : {}),
  });
  const result: AttachResult = { nzbFiles: 0, matchedFiles: 0, attachedSegments: 0, unmatched: [], segmentProblems: [] };
  const note = (list: AttachMismatch[], file: string, reason: string): void => {
    if (list.length < MAX_LISTED) list.push({ file, reason });
  };
  let updates: SegmentUpdate[] = [];
  const flush = async (): Promise<void> => {
    if (updates.length === 0) return;
    const r = await store.updateSegments(updates);
    result.attachedSegments += r.updated;
    updates = [];
  };
  const claimed = new Set<number>();

  // Whole files: a file is matched by its segment count and checked against all its catalogued
  // segments at once, so a file that came in parts is put together again (its whole size in
  // memory, as before files came in parts).
  for await (const event of wholeFiles(reading.events, reading.summary)) {
    if (event.type !== 'file') continue;
    if (options.signal?.aborted) throw new StrataError('cancelled', 'Attaching was cancelled; segments attached so far were kept.');
    const nzbFile: NzbFile = event.file;
    result.nzbFiles++;
    const name = fileNameFromSubject(nzbFile.subject);
    if (!name) {
      note(result.unmatched, nzbFile.subject, 'no file name in the subject');
      continue;
    }
    const candidates = (await store.findFilesByName(collectionId, name)).filter((f) => !claimed.has(f.id));
    const target = pickCandidate(candidates, nzbFile);
    if (!target) {
      note(
        result.unmatched,
        name,
        candidates.length === 0 ? 'no file of this name in the collection' : `${candidates.length} files of this name, none with ${nzbFile.segments.length} segments`,
      );
      continue;
    }
    claimed.add(target.id);
    const catalogued = new Map((await store.getSegments({ fileId: target.id })).map((s) => [s.number, s.bytes]));
    let attachedHere = 0;
    for (const s of nzbFile.segments) {
      const dataBytes = catalogued.get(s.number);
      if (dataBytes === undefined) {
        note(result.segmentProblems, target.relPath, `segment ${s.number} is not in the catalogue`);
        continue;
      }
      if (!articleFits(dataBytes, s.bytes)) {
        note(result.segmentProblems, target.relPath, `segment ${s.number}: article of ${s.bytes} bytes cannot hold ${dataBytes} bytes of data`);
        continue;
      }
      updates.push({ fileId: target.id, number: s.number, messageId: s.messageId, uploadedAt: nzbFile.date === null ? null : nzbFile.date * 1000 });
      attachedHere++;
    }
    if (attachedHere > 0) result.matchedFiles++;
    if (attachedHere > 0 && attachedHere < target.segmentCount) {
      note(result.segmentProblems, target.relPath, `${target.segmentCount - attachedHere} of ${target.segmentCount} segments have no posted article in this NZB`);
    }
    if (updates.length >= 20_000) await flush();
  }
  await flush();
  return result;
}

/** The one catalogued file an NZB file belongs to: same segment count, first by path. */
function pickCandidate(candidates: FileEntry[], nzbFile: NzbFile): FileEntry | null {
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0] as FileEntry;
  const highest = nzbFile.segments[nzbFile.segments.length - 1]?.number ?? 0;
  const fitting = candidates.filter((c) => c.segmentCount === highest);
  return fitting[0] ?? null;
}
