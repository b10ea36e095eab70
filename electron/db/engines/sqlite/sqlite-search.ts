/**
 * Full-text search over `files_fts` joined with `files`. Tier 1 runs it on its one file; the
 * sharded tier on its search file with the catalog attached, where the same names resolve to
 * the search file's index and the catalog's tables.
 */
import type { SearchPage } from '../../../../shared/domain';
import { fileStateCode } from '../../state-codes';
import type { SearchPageQuery } from '../../store-front/engine-core';
import { toFts5 } from './fts-query';
import type { SqliteDatabase } from './open-database';
import { FILE_COLUMNS, toFileEntry, type FileRow } from './sqlite-rows';

export function searchFiles(db: SqliteDatabase, { tree, collectionId, state, limit, offset }: SearchPageQuery, run: <T>(fn: () => T) => T = (fn) => fn()): SearchPage {
  const match = toFts5(tree);
  return run(() => {
    const params: (string | number)[] = [match];
    if (collectionId !== null) params.push(collectionId);
    if (state !== null) params.push(fileStateCode(state));
    // Column weights: a hit in the name counts most, then the subject, then the folder path.
    // The state is filtered here, not by the caller, so LIMIT/OFFSET page over matching files only.
    const rows = db
      .prepare(
        `SELECT ${FILE_COLUMNS}, bm25(files_fts, 10.0, 2.0, 4.0) AS score
           FROM files_fts JOIN files f ON f.id = files_fts.rowid
          WHERE files_fts MATCH ?
            ${collectionId === null ? '' : 'AND f.collection_id = ?'}
            ${state === null ? '' : 'AND f.state = ?'}
            AND f.collection_id NOT IN (SELECT id FROM collections WHERE deleting = 1)
          ORDER BY score, f.id
          LIMIT ? OFFSET ?`,
      )
      .all(...params, limit + 1, offset) as (FileRow & { score: number })[];
    const hits = rows.slice(0, limit).map((r) => ({ file: toFileEntry(r), score: -r.score }));
    return { hits, nextOffset: rows.length > limit ? offset + limit : null };
  });
}
