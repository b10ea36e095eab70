/**
 * The SQL of a keyset page of files. Every (scope, sort) pair has an index whose order is the
 * page order, so a page costs the same on page 1 and page 10,000 (sqlite-list-files.test.ts
 * holds the query plans to that). A state filter with a size or date sort has no index of
 * its own: it walks the sort index and skips other states.
 */
import type { KeyValue } from '../../keyset';
import type { FileSort, SortDirection } from '../../store';
import { FILE_COLUMNS, type FileRow } from './sqlite-rows';

export interface FileSortKeys {
  columns: string[];
  values: (row: FileRow) => KeyValue[];
}

export const FILE_SORT_KEYS: Record<FileSort, FileSortKeys> = {
  name: { columns: ['f.name', 'f.id'], values: (r) => [r.name, r.id] },
  size: { columns: ['f.size', 'f.id'], values: (r) => [r.size, r.id] },
  segments: { columns: ['f.segment_count', 'f.id'], values: (r) => [r.segment_count, r.id] },
  date: { columns: ['f.sort_date', 'f.id'], values: (r) => [r.sort_date, r.id] },
  state: { columns: ['f.state', 'f.name', 'f.id'], values: (r) => [r.state, r.name, r.id] },
};

export interface ListFilesShape {
  byFolder: boolean;
  withState: boolean;
  withCursor: boolean;
  sort: FileSort;
  direction: SortDirection;
}

/** Parameters, in order: scope id, [state code], [cursor key...], limit. */
export function listFilesSql(shape: ListFilesShape): string {
  const keys = FILE_SORT_KEYS[shape.sort].columns;
  const where = [shape.byFolder ? 'f.folder_id = ?' : 'f.collection_id = ?'];
  if (shape.withState) where.push('f.state = ?');
  if (shape.withCursor) {
    where.push(`(${keys.join(', ')}) ${shape.direction === 'asc' ? '>' : '<'} (${keys.map(() => '?').join(', ')})`);
  }
  const order = keys.map((c) => `${c} ${shape.direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
  return `SELECT ${FILE_COLUMNS} FROM files f WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
}
