/**
 * `strata restore <backup>`: a backup of any tier is restored into a new store beside the
 * active one, verified against the counts and digests the backup recorded about itself, and
 * only then switched to, like a migration (the store it replaces is kept as the previous one,
 * for rollback). A backup that fails any check is refused, its partial copy removed, and the
 * active catalog is untouched.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StrataError } from '../../../shared/errors';
import { compareRecords, digestSqliteFiles, digestStore, readManifestTable, MANIFEST_TABLE, type TableRecords } from '../backup/backup-manifest';
import { BACKUP_MANIFEST } from '../engines/sharded/sharded-maintenance';
import { mapSqliteError, sqliteCode } from '../engines/sqlite/sqlite-errors';
import type { PgStore } from '../engines/postgres/pg-store';
import { restrictDir, restrictFile } from '../file-modes';
import { openStoreRecord } from '../open-store';
import type { CatalogStore } from '../store';
import { ControlDb, type StoreRecord } from './control-db';
import { newTargetRecord, removeStoreData, serverOf, type TargetSpec } from './store-records';
import { sqliteOpenName } from '../win-paths';

export type BackupKind = 'sqlite' | 'sharded' | 'postgres';

export interface RestoreResult {
  backup: string;
  kind: BackupKind;
  to: Pick<StoreRecord, 'engine' | 'location'>;
  /** Per table, as verified; `recorded` is false for a backup from before backups recorded digests. */
  tables: { table: string; rows: number }[];
  recorded: boolean;
  elapsedMs: number;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

interface ShardedManifest {
  kind: 'strata-sharded-backup';
  shards: number;
  files: string[];
  tables?: TableRecords;
}

export function backupKind(backup: string): BackupKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(backup);
  } catch {
    throw new StrataError('not-found', `There is no backup at ${backup}.`, { backup });
  }
  if (stat.isDirectory()) {
    if (!fs.existsSync(path.join(backup, BACKUP_MANIFEST))) {
      throw new StrataError('db-foreign', `${backup} is a folder without ${BACKUP_MANIFEST}, so it is not a sharded Strata backup. Nothing was changed.`, { backup });
    }
    return 'sharded';
  }
  const head = Buffer.alloc(16);
  const fd = fs.openSync(backup, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read === 16 && head.equals(SQLITE_MAGIC)) return 'sqlite';
  if (read >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'postgres';
  throw new StrataError('db-foreign', `${backup} is not a Strata backup (neither a catalog file, a sharded backup folder nor a PostgreSQL backup). Nothing was changed.`, { backup });
}

function readShardedManifest(backup: string): ShardedManifest {
  let manifest: ShardedManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(backup, BACKUP_MANIFEST), 'utf8')) as ShardedManifest;
  } catch (error) {
    throw new StrataError('db-corrupt', `The backup ${backup} has an unreadable ${BACKUP_MANIFEST} (${(error as Error).message}). Nothing was restored.`, { backup }, { cause: error });
  }
  if (manifest.kind !== 'strata-sharded-backup' || !Array.isArray(manifest.files) || !manifest.files.includes('catalog.db')) {
    throw new StrataError('db-foreign', `${backup} does not describe a sharded Strata backup. Nothing was restored.`, { backup });
  }
  const missing = manifest.files.filter((f) => !/^[\w.-]+\.db$/u.test(f) || !fs.existsSync(path.join(backup, f)));
  if (missing.length > 0) {
    throw new StrataError('db-corrupt', `The backup ${backup} is incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing. Nothing was restored; use another backup.`, { backup, missing });
  }
  return manifest;
}

/** Digests the restored files, compares them with the manifest, and takes the manifest out. */
async function verifySqliteFiles(backup: string, catalogFile: string, shardFiles: string[], recorded: TableRecords | null, manifestInside: boolean): Promise<TableRecords> {
  const catalog = new Database(sqliteOpenName(catalogFile), { fileMustExist: true });
  const shards = shardFiles.map((f) => new Database(sqliteOpenName(f), { readonly: true, fileMustExist: true }));
  try {
    // A one-file backup is in rollback-journal mode; the copy stays so until the store opens it.
    const check = catalog.prepare('PRAGMA quick_check(5)').pluck().all() as string[];
    if (check.join() !== 'ok') throw new StrataError('db-corrupt', `The backup ${backup} is damaged (${check.join('; ')}). Nothing was restored; use another backup.`, { backup });
    const manifest = manifestInside ? readManifestTable(catalog) : recorded;
    const restored = await digestSqliteFiles(catalog, shards);
    if (manifest) compareRecords(backup, manifest, restored);
    if (manifestInside) catalog.exec(`DROP TABLE IF EXISTS ${MANIFEST_TABLE}`);
    return manifest ?? {};
  } catch (error) {
    const code = sqliteCode(error);
    if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
      throw new StrataError('db-corrupt', `The backup ${backup} is damaged (${(error as Error).message}). Nothing was restored and the active catalog is unchanged; use another backup.`, { backup, sqliteCode: code }, { cause: error });
    }
    throw mapSqliteError(error, backup);
  } finally {
    catalog.close();
    for (const shard of shards) shard.close();
  }
}

function targetSpecFor(kind: BackupKind, active: StoreRecord | null, shards: number | undefined): TargetSpec {
  if (kind === 'sqlite') return { to: 'sqlite' };
  if (kind === 'sharded') return { to: 'sharded', ...(shards ? { shards } : {}) };
  // A PostgreSQL backup goes back onto the portable server when that is where the catalog is,
  // otherwise into embedded PostgreSQL: an existing server's database is the user's to choose.
  return active && serverOf(active) === 'portable' ? { to: 'postgres' } : { to: 'pglite' };
}

export async function restoreDataFolder(dataDir: string, backupPath: string): Promise<RestoreResult> {
  const started = performance.now();
  const backup = path.resolve(backupPath);
  const kind = backupKind(backup);
  const sharded = kind === 'sharded' ? readShardedManifest(backup) : null;
  const target = ControlDb.using(dataDir, (control) => newTargetRecord(dataDir, control, targetSpecFor(kind, control.activeStore(), sharded?.shards)));
  const where = path.resolve(dataDir, target.location);
  let store: CatalogStore | null = null;
  try {
    let recorded: TableRecords | null;
    if (kind === 'sqlite') {
      fs.mkdirSync(path.dirname(where), { recursive: true });
      restrictDir(path.dirname(where));
      fs.copyFileSync(backup, where, fs.constants.COPYFILE_EXCL);
      restrictFile(where);
      recorded = await verifySqliteFiles(backup, where, [], null, true);
    } else if (kind === 'sharded' && sharded) {
      fs.mkdirSync(where, { recursive: true });
      restrictDir(where);
      for (const name of sharded.files) {
        fs.copyFileSync(path.join(backup, name), path.join(where, name), fs.constants.COPYFILE_EXCL);
        restrictFile(path.join(where, name));
      }
      // The search file (search.db) is copied too but not digested: it holds nothing the catalog does not.
      const shardFiles = sharded.files.filter((f) => /^shard-\d+\.db$/u.test(f)).map((f) => path.join(where, f));
      recorded = await verifySqliteFiles(backup, path.join(where, 'catalog.db'), shardFiles, sharded.tables ?? null, false);
    } else {
      recorded = null;
    }
    store = await openStoreRecord(dataDir, target);
    if (kind === 'postgres') {
      const pgStore = store as Partial<Pick<PgStore, 'restoreFrom'>>;
      if (typeof pgStore.restoreFrom !== 'function') throw new StrataError('internal', `The restore target ${target.location} is not a PostgreSQL store.`);
      recorded = await pgStore.restoreFrom.call(store, backup);
      // Compared with what PostgreSQL stored, not with what was read: a row changed on its way in counts too.
      if (recorded) compareRecords(backup, recorded, await digestStore(store));
    }
    const report = await store.checkIntegrity();
    if (!report.ok) {
      throw new StrataError('db-corrupt', `The catalog restored from ${backup} fails its integrity check (${report.problems.join('; ')}). Nothing was switched; use another backup.`, { backup, problems: report.problems });
    }
    const stats = await store.stats();
    await store.close();
    store = null;
    ControlDb.using(dataDir, (control) => control.switchToRestored(target.id));
    const tables = Object.entries(recorded ?? {}).map(([table, r]) => ({ table, rows: r.rows }));
    return {
      backup,
      kind,
      to: { engine: target.engine, location: target.location },
      tables: tables.length > 0 ? tables : [{ table: 'files', rows: stats.files }],
      recorded: recorded !== null && Object.keys(recorded).length > 0,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    await store?.close().catch(() => undefined);
    await removeStoreData(dataDir, target).catch(() => undefined);
    ControlDb.using(dataDir, (control) => control.retire(target.id));
    throw error;
  }
}
