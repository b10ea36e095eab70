/**
 * The SQL of a keyset page of files on Postgres. Every (scope, sort) pair has an index in the
 * page order (pg-schema.ts), so a page costs the same on page 1 and page 10,000. Names sort by
 * their ASCII-folded bytes (tier 1's NOCASE order), whatever the server's locale.
 *
 * A seek (a row position instead of a cursor: a jump to row N of a long list) finds row N's
 * sort key in a subquery that reads the same index (an index-only scan where the visibility
 * map allows), then reads the page from that key as a cursor would: one request instead of a
 * walk of N / limit pages.
 */
import type { KeyValue } from '../../keyset';
import type { FileSort, SortDirection } from '../../store';
import { FILE_COLUMNS, type FileRow } from './pg-rows';

/** The folded name as the indexes hold it; `$n` of a cursor value goes through the same fold. */
export const NAME_KEY = (column: string): string => `(strata_fold(${column}) COLLATE "C")`;

interface SortKey {
  column: string;
  param: (placeholder: string) => string;
}

// Explicit parameter types: PGlite and node-postgres send untyped parameters.
const plain = (column: string): SortKey => ({ column, param: (p) => `${p}::bigint` });
const folded = (column: string): SortKey => ({ column: NAME_KEY(column), param: (p) => NAME_KEY(`${p}::text`) });

export interface FileSortKeys {
  keys: SortKey[];
  values: (row: FileRow) => KeyValue[];
}

export const FILE_SORT_KEYS: Record<FileSort, FileSortKeys> = {
  name: { keys: [folded('f.name'), plain('f.id')], values: (r) => [r.name, r.id] },
  size: { keys: [plain('f.size'), plain('f.id')], values: (r) => [r.size, r.id] },
  segments: { keys: [plain('f.segment_count'), plain('f.id')], values: (r) => [r.segment_count, r.id] },
  date: { keys: [plain('f.sort_date'), plain('f.id')], values: (r) => [r.sort_date, r.id] },
  state: { keys: [plain('f.state'), folded('f.name'), plain('f.id')], values: (r) => [r.state, r.name, r.id] },
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
 * Parameters, in order: scope id, [state code], [cursor key... | offset], limit, collection id. The
 * collection id makes the page empty unless the collection is live and (for a folder page)
 * the folder's files belong to it, so the caller needs no separate checks for a full page.
 */
export function listFilesSql(shape: ListFilesShape): string {
  if (shape.withCursor && shape.withSeek) throw new Error('a file page starts at a cursor or at a position, not both');
  const keys = FILE_SORT_KEYS[shape.sort].keys;
  let n = 0;
  const next = (): string => `$${++n}`;
  const scope = [shape.byFolder ? `f.folder_id = ${next()}` : `f.collection_id = ${next()}`];
  if (shape.withState) scope.push(`f.state = ${next()}`);
  const where = [...scope];
  const columns = keys.map((k) => k.column).join(', ');
  const order = keys.map((k) => `${k.column} ${shape.direction === 'asc' ? 'ASC' : 'DESC'}`).join(', ');
  if (shape.withCursor) {
    const params = keys.map((k) => k.param(next()));
    where.push(`(${columns}) ${shape.direction === 'asc' ? '>' : '<'} (${params.join(', ')})`);
  }
  if (shape.withSeek) {
    // The subquery reuses the scope's parameters. No row at that position (past the end): the
    // comparison is NULL and the page is empty.
    const at = `SELECT ${columns} FROM files f WHERE ${scope.join(' AND ')} ORDER BY ${order} LIMIT 1 OFFSET ${next()}::bigint`;
    where.push(`(${columns}) ${shape.direction === 'asc' ? '>=' : '<='} (${at})`);
  }
  const limit = next();
  const collection = `${next()}::bigint`;
  if (shape.byFolder) where.push(`f.collection_id = ${collection}`);
  // Uncorrelated, so it runs once per page (an InitPlan), not per row.
  where.push(`EXISTS (SELECT 1 FROM collections c WHERE c.id = ${collection} AND NOT c.deleting)`);
  return `SELECT ${FILE_COLUMNS} FROM files f WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit}`;
}
