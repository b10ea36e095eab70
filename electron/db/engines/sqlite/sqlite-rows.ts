/** Maps stored rows to domain objects; the SELECT lists here and the mappers change together. */
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Segment } from '../../../../shared/domain';
import { fileStateName, segmentStateName } from '../../state-codes';

export const COLLECTION_COLUMNS =
  'id, uid, name, root_path, source, created_at, folder_count, file_count, segment_count, bytes, uploaded_segments, missing_segments';

export interface CollectionRow {
  id: number;
  uid: string;
  name: string;
  root_path: string | null;
  source: 'local' | 'nzb';
  created_at: number;
  folder_count: number;
  file_count: number;
  segment_count: number;
  bytes: number;
  uploaded_segments: number;
  missing_segments: number;
}

export const toCollection = (r: CollectionRow): Collection => ({
  id: r.id,
  uid: r.uid,
  name: r.name,
  rootPath: r.root_path,
  source: r.source,
  createdAt: r.created_at,
  // The root folder is an implementation detail; users count the folders they can see.
  folderCount: r.folder_count,
  fileCount: r.file_count,
  segmentCount: r.segment_count,
  bytes: r.bytes,
  uploadedSegments: r.uploaded_segments,
  missingSegments: r.missing_segments,
});

export const FOLDER_COLUMNS = 'id, collection_id, parent_id, name, folder_count, file_count, bytes';

export interface FolderRow {
  id: number;
  collection_id: number;
  parent_id: number | null;
  name: string;
  folder_count: number;
  file_count: number;
  bytes: number;
}

export const toFolder = (r: FolderRow): Folder => ({
  id: r.id,
  collectionId: r.collection_id,
  parentId: r.parent_id,
  name: r.name,
  folderCount: r.folder_count,
  fileCount: r.file_count,
  bytes: r.bytes,
});

export const FILE_COLUMNS =
  'f.id, f.collection_id, f.folder_id, f.nzb_source_id, f.name, f.rel_path, f.size, f.mtime, f.sort_date, f.content_hash, f.subject, f.poster, f.posted_at, f.segment_count, f.bytes, f.uploaded_count, f.missing_count, f.duplicate_count, f.state';

export interface FileRow {
  id: number;
  collection_id: number;
  folder_id: number;
  nzb_source_id: number | null;
  name: string;
  rel_path: string;
  size: number;
  mtime: number | null;
  sort_date: number;
  content_hash: string | null;
  subject: string | null;
  poster: string | null;
  posted_at: number | null;
  segment_count: number;
  bytes: number;
  uploaded_count: number;
  missing_count: number;
  duplicate_count: number;
  state: number;
}

export const toFileEntry = (r: FileRow): FileEntry => ({
  id: r.id,
  collectionId: r.collection_id,
  folderId: r.folder_id,
  name: r.name,
  relPath: r.rel_path,
  size: r.size,
  mtime: r.mtime,
  contentHash: r.content_hash,
  subject: r.subject,
  poster: r.poster,
  postedAt: r.posted_at,
  segmentCount: r.segment_count,
  bytes: r.bytes,
  uploadedCount: r.uploaded_count,
  missingCount: r.missing_count,
  duplicateCount: r.duplicate_count,
  state: fileStateName(r.state),
  nzbSourceId: r.nzb_source_id,
});

export const toFileDetail = (r: FileRow & { metadata: string | null }, groups: string[]): FileDetail => ({
  ...toFileEntry(r),
  groups,
  metadata: r.metadata == null ? null : (JSON.parse(r.metadata) as Record<string, unknown>),
});

export interface SegmentRow {
  file_id: number;
  number: number;
  bytes: number;
  state: number;
  hash: Buffer | null;
  message_id: string | null;
  uploaded_at: number | null;
}

export const toSegment = (r: SegmentRow): Segment => ({
  fileId: r.file_id,
  number: r.number,
  bytes: r.bytes,
  hash: r.hash === null ? null : r.hash.toString('hex'),
  messageId: r.message_id,
  state: segmentStateName(r.state),
  uploadedAt: r.uploaded_at,
});

export interface NzbSourceRow {
  id: number;
  collection_id: number;
  file_name: string;
  dupe_key: string;
  title: string | null;
  category: string | null;
  passwords: string;
  tags: string;
  meta: string;
  imported_at: number;
  content_hash: string | null;
  complete: number;
}

export const toNzbSource = (r: NzbSourceRow): NzbSource => ({
  id: r.id,
  collectionId: r.collection_id,
  fileName: r.file_name,
  dupeKey: r.dupe_key,
  title: r.title,
  category: r.category,
  passwords: JSON.parse(r.passwords) as string[],
  tags: JSON.parse(r.tags) as string[],
  meta: JSON.parse(r.meta) as Record<string, string[]>,
  importedAt: r.imported_at,
  contentHash: r.content_hash,
  complete: r.complete === 1,
});

export const NZB_SOURCE_COLUMNS =
  'id, collection_id, file_name, dupe_key, title, category, passwords, tags, meta, imported_at, content_hash, complete';
