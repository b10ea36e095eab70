/**
 * The logical columns of every table as they cross between engines (streamTable, migration,
 * checksums). Every dialect stores them its own way but streams exactly these names, in this
 * order, with enums as their integer codes and hashes as lowercase hex.
 */
import type { TableName } from './tables';

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

/** Columns holding JSON text: streamed in canonical form (see `canonicalJson`). */
export const JSON_COLUMNS: ReadonlySet<string> = new Set(['passwords', 'tags', 'meta', 'metadata']);

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * JSON as every engine streams it: compact, object keys sorted. Engines store JSON their own
 * way (tier 1 keeps the text as written, PostgreSQL's jsonb reorders keys and adds spaces);
 * one canonical text lets a migration compare and checksum rows across engines.
 */
export function canonicalJson(text: string | null): string | null {
  return text === null ? null : JSON.stringify(sortKeys(JSON.parse(text)));
}
