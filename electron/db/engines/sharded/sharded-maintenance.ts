/** Integrity checks and backups that span the catalog file and every shard. */
import fs from 'node:fs';
import path from 'node:path';
import { StrataError } from '../../../../shared/errors';
import type { BackupProgress, BackupResult, IntegrityReport, RepairReport } from '../../store';
import { recountFiles, repairCatalogFile, type CountedFile } from '../sqlite/sqlite-repair';
import type { SqliteDatabase } from '../sqlite/open-database';
import Database from 'better-sqlite3';
import { backupDatabase, checkCatalogIntegrity, refuseExistingDestination, storageProblems } from '../sqlite/sqlite-maintenance';
import { digestSqliteFiles } from '../../backup/backup-manifest';
import { restrictDir, restrictFile } from '../../file-modes';
import { readOnlyName } from '../../read-only/read-only-sqlite';
import { SEARCH_FILE } from './search-file';
import { shardFileName } from './shard-file';
import type { ShardSet } from './shard-set';
import { sqliteOpenName } from '../../win-paths';

const SHARD_ALIAS = 'checked_shard';

/**
 * The catalog's own checks, then for each shard: its storage, that each file's counters match
 * the rows in the file's shard, that no row belongs to a file the catalog does not know (or
 * has not yet purged), that every row sits in the shard the map names, and that no epoch is
 * newer than the catalog's.
 */
export function checkShardedIntegrity(
  db: SqliteDatabase,
  shards: ShardSet,
  /** `fullText`: the catalog holds the full-text index (only a read-only store from before the search file). */
  context: { committedEpoch: number; moving: boolean; fullText: boolean },
): IntegrityReport {
  const started = performance.now();
  const report = checkCatalogIntegrity(db, { localSegments: false, fullText: context.fullText });
  const problems = [...report.problems];
  const n = shards.count;
  for (const shard of shards.active()) {
    const label = `shard ${shard.index} (${shard.file})`;
    if (shard.error || !shard.reader) {
      problems.push(`${label}: ${shard.error?.message ?? 'not open'}`);
      continue;
    }
    // A damaged shard is named here, never reported as damage of "the catalog".
    const storage = storageProblems(shard.reader, shard.file);
    if (storage.length > 0) {
      problems.push(...storage.map((p) => `shard ${shard.index}: ${p}`));
      continue;
    }
    try {
      // A read-only catalog (a read-only folder) attaches the shard the way it was opened.
      db.prepare(`ATTACH DATABASE ? AS ${SHARD_ALIAS}`).run(db.readonly ? readOnlyName(shard.file) : sqliteOpenName(shard.file));
    } catch (error) {
      problems.push(`${label}: cannot be read (${(error as Error).message})`);
      continue;
    }
    try {
      const ids = (sql: string, ...params: unknown[]): unknown[] => (db.prepare(sql).raw(true).all(...params) as unknown[][]).map((r) => r[0]);
      const counters = ids(
        `SELECT f.id FROM files f
           LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, sum(state = 1) AS u, sum(state = 2) AS m
                        FROM ${SHARD_ALIAS}.segments GROUP BY file_id) s ON s.file_id = f.id
          WHERE shard_of(f.id, ?) = ?
            AND (f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
                 OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0))
          LIMIT 20`,
        n,
        shard.index,
      );
      if (counters.length > 0) problems.push(`${label}: file counters that do not match their segments: ${counters.join(', ')}`);
      const orphans = ids(
        `SELECT DISTINCT s.file_id FROM ${SHARD_ALIAS}.segments s
          WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = s.file_id)
            AND NOT EXISTS (SELECT 1 FROM dead_files d WHERE d.file_id = s.file_id)
          LIMIT 20`,
      );
      if (orphans.length > 0) problems.push(`${label}: segments whose file does not exist: ${orphans.join(', ')}`);
      if (!context.moving) {
        const misplaced = ids(`SELECT DISTINCT file_id FROM ${SHARD_ALIAS}.segments WHERE shard_of(file_id, ?) != ? LIMIT 20`, n, shard.index);
        if (misplaced.length > 0) problems.push(`${label}: segments of files that belong to another shard: ${misplaced.join(', ')}`);
      }
      const epochs = ids(`SELECT epoch FROM ${SHARD_ALIAS}.epochs WHERE epoch > ?`, context.committedEpoch);
      if (epochs.length > 0) problems.push(`${label}: batches the catalog never committed: ${epochs.join(', ')}`);
    } catch (error) {
      problems.push(`${label}: cannot be checked (${(error as Error).message})`);
    } finally {
      db.exec(`DETACH DATABASE ${SHARD_ALIAS}`);
    }
  }
  return { ok: problems.length === 0, problems, checkedMs: performance.now() - started };
}

/**
 * Repairs a sharded store; the caller holds the store's write lock and has every shard open.
 * Per shard: rows of files the catalog does not have are purged (by the shard's own writer,
 * its one writer), then the files whose rows live there are recounted from them; then the
 * catalog file's own repair (folders, collections, full-text index).
 */
export async function repairShardedStore(db: SqliteDatabase, shards: ShardSet, catalogFile: string): Promise<RepairReport> {
  const started = performance.now();
  // The full-text index is in the search file, which the store rebuilds itself.
  const catalog = repairCatalogFile(db, catalogFile, { localSegments: false, fullText: false });
  if (catalog.unrepaired.length > 0) return catalog;
  const n = shards.count;
  let orphanSegments = 0;
  let files = 0;
  const unrepaired: string[] = [];
  for (const shard of shards.active()) {
    const storage = storageProblems(shards.reader(shard), shard.file);
    if (storage.length > 0) {
      unrepaired.push(...storage.map((p) => `shard ${shard.index}: ${p}`), `shard ${shard.index} (${shard.file}) cannot be rebuilt from other rows: restore a backup.`);
      continue;
    }
    const attached = <T>(read: () => T): T => {
      db.prepare(`ATTACH DATABASE ? AS ${SHARD_ALIAS}`).run(sqliteOpenName(shard.file));
      try {
        return read();
      } finally {
        db.exec(`DETACH DATABASE ${SHARD_ALIAS}`);
      }
    };
    const orphans = attached(
      () =>
        db
          .prepare(
            `SELECT DISTINCT s.file_id FROM ${SHARD_ALIAS}.segments s
              WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = s.file_id)
                AND NOT EXISTS (SELECT 1 FROM dead_files d WHERE d.file_id = s.file_id)`,
          )
          .pluck()
          .all() as number[],
    );
    if (orphans.length > 0) orphanSegments += await shards.writer(shard).request<number>({ op: 'purge', fileIds: orphans });
    const counted = attached(
      () =>
        db
          .prepare(
            `SELECT f.id, coalesce(s.n, 0) AS n, coalesce(s.b, 0) AS b, coalesce(s.u, 0) AS u, coalesce(s.m, 0) AS m FROM files f
               LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, sum(state = 1) AS u, sum(state = 2) AS m
                            FROM ${SHARD_ALIAS}.segments GROUP BY file_id) s ON s.file_id = f.id
              WHERE shard_of(f.id, ?) = ?
                AND (f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
                     OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0))`,
          )
          .all(n, shard.index) as CountedFile[],
    );
    files += recountFiles(db, counted);
  }
  // File counters changed above: folders and collections follow them.
  const recounted = files > 0 ? repairCatalogFile(db, catalogFile, { localSegments: false, fullText: false }) : catalog;
  return {
    orphanSegments,
    files,
    folders: catalog.folders + (recounted === catalog ? 0 : recounted.folders),
    collections: catalog.collections + (recounted === catalog ? 0 : recounted.collections),
    fullTextRebuilt: catalog.fullTextRebuilt || recounted.fullTextRebuilt,
    unrepaired,
    elapsedMs: performance.now() - started,
  };
}

/** The file that marks a folder as a sharded store's backup, and lists what it holds. */
export const BACKUP_MANIFEST = 'strata-backup.json';

/**
 * Copies the catalog and every shard into a folder, as one consistent set: the caller holds
 * the store's read lock, so no batch commits in any file meanwhile. The copy is written into
 * `<destination>.partial` and renamed at the end.
 */
export async function backupShardedStore(
  catalog: SqliteDatabase,
  shards: ShardSet,
  destination: string,
  onProgress?: (p: BackupProgress) => void,
  /** The search file's connection: copied too, but not digested (it holds only what the catalog does). */
  search: SqliteDatabase | null = null,
): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(destination);
  refuseExistingDestination(target);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  restrictDir(partial);
  const sources: { db: SqliteDatabase; name: string }[] = [{ db: catalog, name: 'catalog.db' }];
  for (const shard of shards.active()) {
    if (!shard.reader) throw shard.error ?? new StrataError('closed', `Shard ${shard.index} is not open.`);
    sources.push({ db: shard.reader, name: shardFileName(shard.index) });
  }
  const copied = search ? [...sources, { db: search, name: SEARCH_FILE }] : sources;
  try {
    let donePages = 0;
    let bytes = 0;
    for (const source of copied) {
      let lastTotal = 0;
      const result = await backupDatabase(source.db, path.join(partial, source.name), (p) => {
        lastTotal = p.totalPages;
        onProgress?.({ totalPages: donePages + p.totalPages, remainingPages: p.remainingPages });
      });
      donePages += lastTotal;
      bytes += result.bytes;
    }
    // Row counts and digests read from the copies, for `strata restore` to verify against.
    const copies = sources.map((s) => new Database(sqliteOpenName(path.join(partial, s.name)), { readonly: true, fileMustExist: true }));
    let tables;
    try {
      tables = await digestSqliteFiles(copies[0] as SqliteDatabase, copies.slice(1));
    } finally {
      for (const copy of copies) copy.close();
    }
    const manifest = { kind: 'strata-sharded-backup', createdAt: new Date().toISOString(), shards: shards.count, files: copied.map((s) => s.name), tables };
    fs.writeFileSync(path.join(partial, BACKUP_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    restrictFile(path.join(partial, BACKUP_MANIFEST));
    refuseExistingDestination(target);
    fs.renameSync(partial, target);
    return { path: target, bytes, elapsedMs: performance.now() - started };
  } catch (error) {
    fs.rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}
