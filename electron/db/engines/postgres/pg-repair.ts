/**
 * Repair of a Postgres catalog (PGlite or a server), the counterpart of sqlite-repair.ts:
 * segment rows of files that no longer exist are removed, counters are recomputed from the
 * rows they count, and files whose search vector is empty get it built again (in the app, by
 * the same word rule as at ingest). One transaction: a repair cut short changes nothing.
 * Storage damage is PostgreSQL's own to detect (checksums, WAL replay); it is not guessed at.
 */
import type { RepairReport } from '../../store';
import type { PgDriver } from './pg-driver';
import { searchDocument } from './search-document';

const FILE_STATE_OF = (n: string, u: string, m: string): string =>
  `CASE WHEN ${m} > 0 AND ${u} = 0 AND ${m} >= ${n} THEN 3 WHEN ${n} > 0 AND ${u} >= ${n} AND ${m} = 0 THEN 2 WHEN ${u} > 0 OR ${m} > 0 THEN 1 ELSE 0 END`;

export async function repairPgCatalog(driver: PgDriver): Promise<RepairReport> {
  const started = performance.now();
  return driver.transaction(async (tx) => {
    const orphans = await tx.query('DELETE FROM segments s WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = s.file_id)');
    const files = await tx.query(
      `UPDATE files f SET segment_count = x.n, bytes = x.b, uploaded_count = x.u, missing_count = x.m, state = ${FILE_STATE_OF('x.n', 'x.u', 'x.m')}
         FROM (SELECT f.id, coalesce(s.n, 0) AS n, coalesce(s.b, 0) AS b, coalesce(s.u, 0) AS u, greatest(f.missing_count, coalesce(s.m, 0)) AS m
                 FROM files f
                 LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, count(*) FILTER (WHERE state = 1) AS u, count(*) FILTER (WHERE state = 2) AS m
                              FROM segments GROUP BY file_id) s ON s.file_id = f.id
                WHERE f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
                   OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0)) x
        WHERE f.id = x.id`,
    );
    const folders = await tx.query(
      `UPDATE folders d SET file_count = x.n, bytes = x.b, folder_count = x.c
         FROM (SELECT d.id, coalesce(f.n, 0) AS n, coalesce(f.b, 0) AS b, coalesce(c.n, 0) AS c FROM folders d
                 LEFT JOIN (SELECT folder_id, count(*) AS n, sum(size) AS b FROM files GROUP BY folder_id) f ON f.folder_id = d.id
                 LEFT JOIN (SELECT parent_id, count(*) AS n FROM folders WHERE parent_id IS NOT NULL GROUP BY parent_id) c ON c.parent_id = d.id
                WHERE d.file_count != coalesce(f.n, 0) OR d.bytes != coalesce(f.b, 0) OR d.folder_count != coalesce(c.n, 0)) x
        WHERE d.id = x.id`,
    );
    const collections = await tx.query(
      `UPDATE collections c SET file_count = x.n, segment_count = x.s, bytes = x.b, uploaded_segments = x.u, missing_segments = x.m, folder_count = x.d
         FROM (SELECT c.id, coalesce(f.n, 0) AS n, coalesce(f.s, 0) AS s, coalesce(f.b, 0) AS b, coalesce(f.u, 0) AS u, coalesce(f.m, 0) AS m,
                      coalesce(d.n, 0) AS d
                 FROM collections c
                 LEFT JOIN (SELECT collection_id, count(*) AS n, sum(segment_count) AS s, sum(bytes) AS b, sum(uploaded_count) AS u,
                                   sum(missing_count) AS m FROM files GROUP BY collection_id) f ON f.collection_id = c.id
                 LEFT JOIN (SELECT collection_id, count(*) - 1 AS n FROM folders GROUP BY collection_id) d ON d.collection_id = c.id
                WHERE NOT c.deleting AND (c.file_count != coalesce(f.n, 0) OR c.segment_count != coalesce(f.s, 0) OR c.bytes != coalesce(f.b, 0)
                   OR c.uploaded_segments != coalesce(f.u, 0) OR c.missing_segments != coalesce(f.m, 0) OR c.folder_count != coalesce(d.n, 0))) x
        WHERE c.id = x.id`,
    );
    const wordless = await tx.queryRows<{ id: number; name: string; rel_path: string; subject: string | null }>(
      `SELECT id, name, rel_path, subject FROM files WHERE search = ''::tsvector AND name ~ '[[:alnum:]]'`,
    );
    for (const f of wordless) {
      const slash = f.rel_path.lastIndexOf('/');
      await tx.query('UPDATE files SET search = $1::tsvector WHERE id = $2', [searchDocument(f.name, slash === -1 ? '' : f.rel_path.slice(0, slash), f.subject), f.id]);
    }
    return {
      orphanSegments: orphans.rowCount,
      files: files.rowCount,
      folders: folders.rowCount,
      collections: collections.rowCount,
      fullTextRebuilt: wordless.length > 0,
      unrepaired: [],
      elapsedMs: performance.now() - started,
    };
  });
}
