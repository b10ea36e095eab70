/**
 * The SQL of a keyset page of files. Every (scope, sort) pair has an index whose order is the
 * page order, so a page costs the same on page 1 and page 10,000 (sqlite-list-files.test.ts
 * holds the query plans to that). A state filter with a size or date sort has no index of
 * its own: it walks the sort index and skips other states.
 *
 * A seek (a row position instead of a cursor, for a jump to row N of a long list) finds the
 * sort key of row N in a scalar subquery over the same index, then reads the page from that key
 * as a cursor would. The subquery reads only the index (covering, no table rows), so a seek to
 * row 500,000 costs one pass over half a million index entries in the engine instead of a
 * thousand pages, each with its own round trip, parse and check in the page.
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
  /** Starts at a row position (the offset parameter) instead of a cursor; never both. */
  withSeek?: boolean;
  sort: FileSort;
  direction: SortDirection;
}

/**
 * Parameters, in order: scope id, [state code], [cursor key...], limit; with a seek the cursor
 * keys are replaced by the scope again: scope id, [state code], offset.
 */
export function listFilesSql(shape: ListFilesShape): string {
  if (shape.withCursor && shape.withSeek) throw new Error('a file page starts at a cursor or at a position, not both');
  const keys = FILE_SORT_KEYS[shape.sort].columns;
  const scope = [shape.byFolder ? 'f.folder_id = ?' : 'f.collection_id = ?'];
  if (shape.withState) scope.push('f.state = ?');
  const where = [...scope];
  const order = keys.map((c) => `${c} ${shape.direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
  if (shape.withCursor) {
    where.push(`(${keys.join(', ')}) ${shape.direction === 'asc' ? '>' : '<'} (${keys.map(() => '?').join(', ')})`);
  }
  if (shape.withSeek) {
    // No row at that position (past the end): the comparison is NULL and the page is empty.
    const at = `SELECT ${keys.join(', ')} FROM files f WHERE ${scope.join(' AND ')} ORDER BY ${order} LIMIT 1 OFFSET ?`;
    where.push(`(${keys.join(', ')}) ${shape.direction === 'asc' ? '>=' : '<='} (${at})`);
  }
  return `SELECT ${FILE_COLUMNS} FROM files f WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ?`;
}
