/**
 * Argument checks shared by every engine, so that every tier refuses the same bad input
 * with the same typed error (the conformance suite holds them to it).
 */
import { FILE_STATES, SEGMENT_STATES, type FileState, type SegmentState } from '../../shared/domain';
import { invalidArgument } from '../../shared/errors';
import { LIMITS } from '../../shared/limits';
import type { FileSort, IngestFile, SortDirection } from './store';

export const MAX_PAGE_SIZE = LIMITS.pageSize;
export const DEFAULT_PAGE_SIZE = LIMITS.defaultPageSize;
export const MAX_NAME_LENGTH = LIMITS.collectionName;

export function checkId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalidArgument(`${what} must be a positive whole number; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function checkLimit(value: unknown, fallback: number = DEFAULT_PAGE_SIZE, max: number = MAX_PAGE_SIZE): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalidArgument(`The page size must be a whole number from 1 to ${max}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export function checkOffset(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > LIMITS.searchOffset) {
    throw invalidArgument(`The result offset must be a whole number from 0 to ${LIMITS.searchOffset}; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Where a page of files starts (a seek): 0 when absent; never together with a cursor. */
export function checkListOffset(value: unknown, cursor: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > LIMITS.listOffset) {
    throw invalidArgument(`The row position must be a whole number from 0 to ${LIMITS.listOffset}; got ${JSON.stringify(value)}.`);
  }
  if (cursor !== undefined && cursor !== null) {
    throw invalidArgument('A page of files starts at a cursor or at a row position, not both; pass one of them.');
  }
  return value;
}

export function checkCollectionName(value: unknown): string {
  if (typeof value !== 'string') throw invalidArgument('A collection name must be text.');
  const name = value.trim();
  if (name.length === 0) throw invalidArgument('A collection needs a name.');
  if (name.length > MAX_NAME_LENGTH) {
    throw invalidArgument(`A collection name can be at most ${MAX_NAME_LENGTH} characters long.`);
  }
  if (/[\u0000-\u001f]/u.test(name)) throw invalidArgument('A collection name cannot contain control characters.');
  return name;
}

export const MAX_DELETE_FILES = LIMITS.deleteFiles;

export function checkFileIds(value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0) throw invalidArgument('Name at least one file to delete.');
  if (value.length > MAX_DELETE_FILES) {
    throw invalidArgument(`At most ${MAX_DELETE_FILES.toLocaleString('en-US')} files can be deleted at once; delete the folder's files in parts.`);
  }
  return [...new Set(value.map((v) => checkId(v, 'A file id')))];
}

export function checkSort(value: unknown): FileSort {
  if (value === undefined || value === null) return 'name';
  if (value === 'name' || value === 'size' || value === 'segments' || value === 'date' || value === 'state') return value;
  throw invalidArgument(`Files can be sorted by name, size, segments, date or state; got ${JSON.stringify(value)}.`);
}

export function checkDirection(value: unknown): SortDirection {
  if (value === undefined || value === null) return 'asc';
  if (value === 'asc' || value === 'desc') return value;
  throw invalidArgument(`The sort direction must be asc or desc; got ${JSON.stringify(value)}.`);
}

export function checkFileState(value: unknown): FileState | null {
  if (value === undefined || value === null) return null;
  if ((FILE_STATES as readonly unknown[]).includes(value)) return value as FileState;
  throw invalidArgument(`A file state is one of ${FILE_STATES.join(', ')}; got ${JSON.stringify(value)}.`);
}

export function checkSegmentState(value: unknown): SegmentState {
  if ((SEGMENT_STATES as readonly unknown[]).includes(value)) return value as SegmentState;
  throw invalidArgument(`A segment state is one of ${SEGMENT_STATES.join(', ')}; got ${JSON.stringify(value)}.`);
}

const HEX = /^(?:[0-9a-f]{2})+$/u;

/** Splits and checks a collection-relative path; returns its parts (folders then name). */
export function splitRelPath(path: unknown): string[] {
  if (typeof path !== 'string' || path.length === 0) throw invalidArgument('Every file needs a path.');
  if (path.length > 4096) throw invalidArgument(`A file path is longer than 4096 characters: ${path.slice(0, 80)}…`);
  if (path.includes('\u0000')) throw invalidArgument(`A file path contains a NUL character: ${JSON.stringify(path)}.`);
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.' || part === '..') {
      throw invalidArgument(
        `The file path ${JSON.stringify(path)} is not a clean relative path (no leading or doubled "/", no "." or "..").`,
      );
    }
  }
  return parts;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks one file of an ingest batch; cheap per segment because batches hold millions. */
export function checkIngestFile(file: IngestFile): string[] {
  if (typeof file !== 'object' || file === null) throw invalidArgument('Every ingested file must be an object.');
  const parts = splitRelPath(file.path);
  if (!isCount(file.size)) throw invalidArgument(`The size of ${file.path} must be a whole number of bytes.`);
  if (!Array.isArray(file.segments)) throw invalidArgument(`The segments of ${file.path} must be a list.`);
  let previous = 0;
  let sorted = true;
  for (const segment of file.segments) {
    const n = segment.number;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw invalidArgument(`Segment numbers of ${file.path} must be whole numbers from 1; got ${JSON.stringify(n)}.`);
    }
    if (!isCount(segment.bytes)) {
      throw invalidArgument(`Segment ${n} of ${file.path} has no valid byte size.`);
    }
    if (segment.hash != null && (typeof segment.hash !== 'string' || !HEX.test(segment.hash))) {
      throw invalidArgument(`Segment ${n} of ${file.path} has a hash that is not lowercase hex.`);
    }
    if (segment.messageId != null && (typeof segment.messageId !== 'string' || segment.messageId.length === 0)) {
      throw invalidArgument(`Segment ${n} of ${file.path} has an empty message-id.`);
    }
    if (n <= previous) sorted = false;
    previous = n;
  }
  if (!sorted) {
    const seen = new Set<number>();
    for (const segment of file.segments) {
      if (seen.has(segment.number)) {
        throw invalidArgument(`Segment ${segment.number} of ${file.path} appears twice; remove the duplicate first.`);
      }
      seen.add(segment.number);
    }
  }
  return parts;
}
