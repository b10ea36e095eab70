/**
 * Domain types shared by the database process, the CLI and the renderer.
 * No Node or Electron imports here: the renderer compiles this file too.
 */

export const DEFAULT_SEGMENT_BYTES = 768_000;

export type CollectionSource = 'local' | 'nzb';

/** Segment states, stored as small integers (see SEGMENT_STATE_CODES). */
export const SEGMENT_STATES = ['indexed', 'uploaded', 'missing'] as const;
export type SegmentState = (typeof SEGMENT_STATES)[number];

/**
 * File states, derived from the file's counters in the same transaction that changes them.
 * The order is the sort order of "sort by state".
 */
export const FILE_STATES = ['indexed', 'partial', 'uploaded', 'missing'] as const;
export type FileState = (typeof FILE_STATES)[number];

export type EngineName = 'sqlite' | 'sharded' | 'pglite' | 'postgres';
export type Tier = 1 | 2 | 3;

export interface Collection {
  id: number;
  uid: string;
  name: string;
  rootPath: string | null;
  source: CollectionSource;
  createdAt: number;
  folderCount: number;
  fileCount: number;
  segmentCount: number;
  /** Sum of segment bytes. */
  bytes: number;
  uploadedSegments: number;
  missingSegments: number;
}

export interface Folder {
  id: number;
  collectionId: number;
  parentId: number | null;
  name: string;
  /** Files directly in this folder. */
  fileCount: number;
  /** Sum of the sizes of files directly in this folder. */
  bytes: number;
  folderCount: number;
}

export interface FileEntry {
  id: number;
  collectionId: number;
  folderId: number;
  name: string;
  relPath: string;
  size: number;
  mtime: number | null;
  contentHash: string | null;
  subject: string | null;
  poster: string | null;
  postedAt: number | null;
  segmentCount: number;
  /** Sum of segment bytes. */
  bytes: number;
  uploadedCount: number;
  missingCount: number;
  duplicateCount: number;
  state: FileState;
  nzbSourceId: number | null;
}

export interface FileDetail extends FileEntry {
  groups: string[];
  metadata: Record<string, unknown> | null;
}

export interface Segment {
  fileId: number;
  number: number;
  bytes: number;
  hash: string | null;
  messageId: string | null;
  state: SegmentState;
  uploadedAt: number | null;
}

export interface NzbSource {
  id: number;
  collectionId: number;
  fileName: string;
  dupeKey: string;
  title: string | null;
  category: string | null;
  passwords: string[];
  tags: string[];
  meta: Record<string, string[]>;
  importedAt: number;
  /** SHA-256 of the NZB file's bytes, when it was imported from a file. */
  contentHash: string | null;
  /** False while its import runs; an import that never finished is removed at the next open. */
  complete: boolean;
}

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null when this is the last page. */
  nextCursor: string | null;
}

export interface SearchHit {
  file: FileEntry;
  /** Higher is better; comparable only within one result list. */
  score: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Offset of the next page, or null when there is none. */
  nextOffset: number | null;
}
