/**
 * The part of writing a batch that needs no database: validation, segment states and file
 * counters, names and folder parts, paths repeated within the batch, and each file's full-text
 * document. Kept apart so the store can prepare the next batch while the server is still
 * loading the current one (the read-ahead of store-front/ingest-loop.ts, which pg-core.ts asks
 * for): on a server that work then runs on the other core instead of between two transactions.
 */
import { StrataError, invalidArgument } from '../../../../shared/errors';
import { SEGMENT_STATES } from '../../../../shared/domain';
import { SEGMENT_MISSING, SEGMENT_UPLOADED, deriveFileState, segmentStateCode } from '../../state-codes';
import type { IngestBatch, IngestFile, IngestSegment, NzbSourceInput, OnExisting } from '../../store';
import { checkIngestFile } from '../../validate';
import { searchDocument } from './search-document';

export interface PlannedFile {
  file: IngestFile;
  name: string;
  folderParts: string[];
  states: Uint8Array;
  bytes: number;
  uploaded: number;
  missing: number;
  fileState: number;
  /** tsvector input of the file's name, folder path and subject. */
  search: string;
  /** Resolved inside the batch's transaction (the source may be created by this batch). */
  sourceId: number | null;
}

export interface PreparedBatch {
  sources: NzbSourceInput[];
  files: PlannedFile[];
  /** Files dropped or superseded by a later file of the same path in this batch. */
  skippedFiles: number;
  replacedFiles: number;
}

/** Files prepared between returns to the event loop, so a load in flight keeps streaming. */
const FILES_PER_SLICE = 512;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const folderOf = (relPath: string): string => {
  const slash = relPath.lastIndexOf('/');
  return slash === -1 ? '' : relPath.slice(0, slash);
};

export async function prepareBatch(batch: IngestBatch, onExisting: OnExisting): Promise<PreparedBatch> {
  if (!batch || !Array.isArray(batch.files)) throw invalidArgument('An ingest batch must have a list of files.');
  const prepared: PreparedBatch = { sources: batch.sources ?? [], files: [], skippedFiles: 0, replacedFiles: 0 };
  const byPath = new Map<string, number>();
  let sliced = 0;
  for (const file of batch.files) {
    if (++sliced % FILES_PER_SLICE === 0) await yieldToEventLoop();
    const p = prepareFile(file);
    const earlier = byPath.get(file.path);
    if (earlier !== undefined) {
      // The same path twice in one batch behaves as if the batch were written file by file.
      if (onExisting === 'error') throw conflictAt(file.path);
      if (onExisting === 'skip') {
        prepared.skippedFiles++;
        continue;
      }
      prepared.files[earlier] = p;
      prepared.replacedFiles++;
      continue;
    }
    byPath.set(file.path, prepared.files.length);
    prepared.files.push(p);
  }
  return prepared;
}

function prepareFile(file: IngestFile): PlannedFile {
  const parts = checkIngestFile(file);
  const segments = file.segments;
  const states = new Uint8Array(segments.length);
  let bytes = 0;
  let uploaded = 0;
  let missingRows = 0;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as IngestSegment;
    bytes += segment.bytes;
    const code = segmentState(segment.state, segment.messageId);
    states[i] = code;
    if (code === SEGMENT_UPLOADED) uploaded++;
    else if (code === SEGMENT_MISSING) missingRows++;
  }
  // An open file counts the segments yet to come as one missing (IngestFile.open).
  const missing = missingRows + (file.missingNumbers ?? 0) + (file.open === true ? 1 : 0);
  const name = parts[parts.length - 1] as string;
  return {
    file,
    name,
    folderParts: parts.slice(0, -1),
    states,
    bytes,
    uploaded,
    missing,
    fileState: deriveFileState({ segmentCount: segments.length, uploadedCount: uploaded, missingCount: missing }),
    search: searchDocument(name, folderOf(file.path), file.subject ?? null),
    sourceId: null,
  };
}

function segmentState(state: IngestFile['segments'][number]['state'], messageId: string | null | undefined): number {
  if (state === undefined) return messageId ? SEGMENT_UPLOADED : 0;
  const code = segmentStateCode(state);
  if (code < 0) throw invalidArgument(`A segment state is one of ${SEGMENT_STATES.join(', ')}; got ${JSON.stringify(state)}.`);
  return code;
}

export function conflictAt(path: string): StrataError {
  return new StrataError(
    'conflict',
    `The collection already has a file at ${path}. Choose to skip or replace existing files, or remove it first.`,
    { path },
  );
}
