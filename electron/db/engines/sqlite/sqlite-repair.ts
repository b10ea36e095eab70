/**
 * Repair of a catalog file (tier 1, and the catalog file of a sharded store): what a check
 * found and the rows themselves can settle. Segment rows of files that no longer exist are
 * removed, counters are recomputed from the rows they count (files from their segments,
 * folders and collections from their files), and the full-text index is rebuilt from the
 * files when it is damaged. Each step is one transaction, so a repair killed halfway leaves a
 * catalog no worse than before, and running it again finishes it.
 */
import { deriveFileState } from '../../state-codes';
import type { RepairReport } from '../../store';
import type { SqliteDatabase } from './open-database';
import { damagedTables, onlyFullTextDamaged, storageProblems } from './sqlite-maintenance';
import { rebuildFullText } from './sqlite-table-loader';

/** A file's counters as its segment rows give them. */
export interface CountedFile {
  id: number;
  n: number;
  b: number;
  u: number;
  m: number;
}

/** Files whose stored counters disagree with their local segment rows. */
const MISCOUNTED_FILES = `
  SELECT f.id, coalesce(s.n, 0) AS n, coalesce(s.b, 0) AS b, coalesce(s.u, 0) AS u, coalesce(s.m, 0) AS m FROM files f
    LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, sum(state = 1) AS u, sum(state = 2) AS m FROM segments GROUP BY file_id) s
      ON s.file_id = f.id
   WHERE f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
      OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0)`;

/**
 * Writes counted values into files; `missing_count` keeps gaps the source listed (they have
 * no rows) and only grows to the missing rows. The state follows the counters, as at ingest.
 */
export function recountFiles(db: SqliteDatabase, counted: readonly CountedFile[]): number {
  if (counted.length === 0) return 0;
  const read = db.prepare('SELECT missing_count FROM files WHERE id = ?').pluck();
  const write = db.prepare('UPDATE files SET segment_count = ?, bytes = ?, uploaded_count = ?, missing_count = ?, state = ? WHERE id = ?');
  db.transaction(() => {
    for (const f of counted) {
      const missing = Math.max(Number(read.get(f.id) ?? 0), f.m);
      write.run(f.n, f.b, f.u, missing, deriveFileState({ segmentCount: f.n, uploadedCount: f.u, missingCount: missing }), f.id);
    }
  }).immediate();
  return counted.length;
}

/** Folders and collections recounted from their files and subfolders; returns how many changed. */
export function recountFoldersAndCollections(db: SqliteDatabase): { folders: number; collections: number } {
  return db
    .transaction(() => {
      const folders = db
        .prepare(
          `UPDATE folders SET
             file_count = (SELECT count(*) FROM files f WHERE f.folder_id = folders.id),
             bytes = (SELECT coalesce(sum(size), 0) FROM files f WHERE f.folder_id = folders.id),
             folder_count = (SELECT count(*) FROM folders c WHERE c.parent_id = folders.id)
           WHERE file_count != (SELECT count(*) FROM files f WHERE f.folder_id = folders.id)
              OR bytes != (SELECT coalesce(sum(size), 0) FROM files f WHERE f.folder_id = folders.id)
              OR folder_count != (SELECT count(*) FROM folders c WHERE c.parent_id = folders.id)`,
        )
        .run().changes;
      const totals = `(SELECT count(*) AS n, coalesce(sum(segment_count), 0) AS s, coalesce(sum(bytes), 0) AS b,
                              coalesce(sum(uploaded_count), 0) AS u, coalesce(sum(missing_count), 0) AS m
                         FROM files f WHERE f.collection_id = collections.id)`;
      const collections = db
        .prepare(
          `UPDATE collections SET
             (file_count, segment_count, bytes, uploaded_segments, missing_segments) = (SELECT n, s, b, u, m FROM ${totals}),
             folder_count = (SELECT count(*) - 1 FROM folders d WHERE d.collection_id = collections.id)
           WHERE deleting = 0 AND (
             (file_count, segment_count, bytes, uploaded_segments, missing_segments) IS NOT (SELECT n, s, b, u, m FROM ${totals})
             OR folder_count != (SELECT count(*) - 1 FROM folders d WHERE d.collection_id = collections.id))`,
        )
        .run().changes;
      return { folders, collections };
    })
    .immediate();
}

/** Whether the full-text index needs rebuilding: its own check fails or it lists another number of files. */
function fullTextDamaged(db: SqliteDatabase): boolean {
  try {
    db.prepare("INSERT INTO files_fts (files_fts, rank) VALUES ('integrity-check', 0)").run();
    const fts = db.prepare('SELECT count(*) FROM files_fts').pluck().get() as number;
    return fts !== (db.prepare('SELECT count(*) FROM files').pluck().get() as number);
  } catch {
    return true;
  }
}

/**
 * Repairs one catalog file. `localSegments` is false for a sharded catalog, whose segments
 * (and so its orphans and file counters) the sharded store settles shard by shard first.
 */
export function repairCatalogFile(db: SqliteDatabase, file: string, options: { localSegments: boolean; fullText?: boolean }): RepairReport {
  const started = performance.now();
  const report: RepairReport = { orphanSegments: 0, files: 0, folders: 0, collections: 0, fullTextRebuilt: false, unrepaired: [], elapsedMs: 0 };
  const storage = storageProblems(db, file);
  if (storage.length > 0 && !onlyFullTextDamaged(db)) {
    // Rows on damaged pages cannot be read, so nothing can be recounted from them.
    report.unrepaired = [...storage, `${damagedTables(db)?.join(', ') ?? 'the schema'} cannot be rebuilt from other rows: restore a backup, or roll back to the previous store (strata rollback).`];
    report.elapsedMs = performance.now() - started;
    return report;
  }
  if (options.localSegments) {
    report.orphanSegments = db.transaction(() => db.prepare('DELETE FROM segments WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = segments.file_id)').run().changes).immediate();
    report.files = recountFiles(db, db.prepare(MISCOUNTED_FILES).all() as CountedFile[]);
  }
  Object.assign(report, recountFoldersAndCollections(db));
  // `fullText: false`: the index lives in another file, which its owner rebuilds.
  if (options.fullText !== false && (storage.length > 0 || fullTextDamaged(db))) {
    rebuildFullText(db);
    report.fullTextRebuilt = true;
  }
  report.elapsedMs = performance.now() - started;
  return report;
}
