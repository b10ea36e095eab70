/**
 * The logical columns of every table as they cross between engines (streamTable, migration,
 * checksums). Every dialect stores them its own way but streams exactly these names, in this
 * order, with enums as their integer codes and hashes as lowercase hex.
 */
import type { TableName } from './store';

export interface TableColumns {
  key: readonly string[];
  columns: readonly string[];
}

export const TABLE_COLUMNS: Record<TableName, TableColumns> = {
  collections: {
    key: ['id'],
    columns: [
      'id',
      'uid',
      'name',
      'root_path',
      'source',
      'created_at',
      'folder_count',
      'file_count',
      'segment_count',
      'bytes',
      'uploaded_segments',
      'missing_segments',
    ],
  },
  nzb_sources: {
    key: ['id'],
    columns: [
      'id',
      'collection_id',
      'file_name',
      'dupe_key',
      'title',
      'category',
      'passwords',
      'tags',
      'meta',
      'imported_at',
      'content_hash',
      'complete',
    ],
  },
  groups: { key: ['id'], columns: ['id', 'name'] },
  folders: {
    key: ['id'],
    columns: ['id', 'collection_id', 'parent_id', 'name', 'folder_count', 'file_count', 'bytes'],
  },
  files: {
    key: ['id'],
    columns: [
      'id',
      'collection_id',
      'folder_id',
      'nzb_source_id',
      'name',
      'rel_path',
      'size',
      'mtime',
      'sort_date',
      'content_hash',
      'subject',
      'poster',
      'posted_at',
      'segment_count',
      'bytes',
      'uploaded_count',
      'missing_count',
      'duplicate_count',
      'state',
      'metadata',
    ],
  },
  file_groups: { key: ['file_id', 'group_id'], columns: ['file_id', 'group_id'] },
  segments: {
    key: ['file_id', 'number'],
    columns: ['file_id', 'number', 'bytes', 'state', 'hash', 'message_id', 'uploaded_at'],
  },
};
