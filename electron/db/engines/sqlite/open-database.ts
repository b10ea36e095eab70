/**
 * Opening a catalog file safely: nothing is written to a file until it has been shown to be
 * a Strata catalog this version understands (or a new, empty file). A foreign, damaged,
 * newer or locked file is refused with an error naming it, and left byte-for-byte as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StrataError } from '../../../../shared/errors';
import { mapSqliteError } from './sqlite-errors';
import { prepareUserOnlyDatabase } from '../../file-modes';
import { openSqliteReadOnly } from '../../read-only/read-only-sqlite';
import { LATEST_SCHEMA_VERSION, SQLITE_MIGRATIONS, STRATA_APPLICATION_ID } from './schema';
import { sqliteOpenName } from '../../win-paths';

export type SqliteDatabase = Database.Database;

export interface SqliteTuning {
  /** Page cache per connection, in MiB. */
  cacheMiB: number;
  /** Memory-mapped I/O window, in MiB (0 turns it off). */
  mmapMiB: number;
  busyTimeoutMs: number;
}

/**
 * Chosen by `npm run bench -- pragmas` (docs/benchmarks.md): a 64 MiB page cache holds
 * the upper B-tree levels of a 30M-segment catalog, and mmap lets warm reads skip the
 * read() copy. Larger values measured no better on lookups and cost resident memory.
 */
export const DEFAULT_TUNING: SqliteTuning = { cacheMiB: 64, mmapMiB: 256, busyTimeoutMs: 5000 };

const SQLITE_MAGIC = Buffer.from('SQLite format 3\u0000', 'latin1');

function readHeader(file: string): Buffer | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StrataError('io', `Strata could not open ${file}: ${(error as Error).message}.`, { file }, { cause: error });
  }
  try {
    const header = Buffer.alloc(100);
    const read = fs.readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

export interface InspectResult {
  exists: boolean;
  schemaVersion: number;
}

/**
 * A one-file catalog, or the catalog file of a sharded store (same schema, segments kept in
 * shard files beside it). Each refuses the other: opened alone, a sharded catalog would look
 * like a catalog whose files have lost their segments.
 */
export type CatalogKind = 'single' | 'sharded';

/** The table only a sharded store's catalog has. */
export const SHARDED_MARKER_TABLE = 'shard_state';

/** Read-only look at an existing file: is it ours, and can this version open it? */
export function inspectCatalogFile(file: string, busyTimeoutMs: number, kind: CatalogKind = 'single', readOnlyFolder = false): InspectResult {
  const header = readHeader(file);
  // An empty file is what an interrupted first start leaves behind; treat it as new.
  if (header === null || header.length === 0) return { exists: false, schemaVersion: 0 };
  if (header.length < 16 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw new StrataError(
      'db-not-sqlite',
      `${file} is not a Strata catalog (it is not a SQLite database at all). Strata did not change it; move it away or choose another data folder.`,
      { file },
    );
  }
  let db: SqliteDatabase | undefined;
  try {
    db = readOnlyFolder ? openSqliteReadOnly(file) : new Database(sqliteOpenName(file), { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number };
    if (applicationId !== STRATA_APPLICATION_ID) {
      if (tables.n === 0) return { exists: false, schemaVersion: 0 };
      throw new StrataError(
        'db-foreign',
        `${file} is a SQLite database of another program, not a Strata catalog. Strata did not change it; move it away or choose another data folder.`,
        { file },
      );
    }
    const sharded = db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(SHARDED_MARKER_TABLE) !== undefined;
    if (sharded && kind === 'single') {
      throw new StrataError(
        'db-foreign',
        `${file} is the catalog file of a sharded Strata store; its segments live in the shard files beside it. Open the folder that holds it as a sharded store. The file was not changed.`,
        { file },
      );
    }
    if (!sharded && kind === 'sharded') {
      const collections = db.prepare('SELECT count(*) AS n FROM collections').get() as { n: number };
      if (collections.n > 0) {
        throw new StrataError(
          'db-foreign',
          `${file} is a one-file Strata catalog, not the catalog of a sharded store. Open it as a one-file catalog, or move it with the upgrade wizard. The file was not changed.`,
          { file },
        );
      }
    }
    const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as { v: number | null };
    const version = row.v ?? 0;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StrataError(
        'db-newer',
        `The catalog ${file} was written by a newer version of Strata (schema ${version}; this version reads up to ${LATEST_SCHEMA_VERSION}). Update Strata to open it; the file was not changed.`,
        { file, schemaVersion: version, supported: LATEST_SCHEMA_VERSION },
      );
    }
    return { exists: true, schemaVersion: version };
  } catch (error) {
    throw mapSqliteError(error, file);
  } finally {
    db?.close();
  }
}

export function applyPragmas(db: SqliteDatabase, tuning: SqliteTuning): void {
  db.pragma(`busy_timeout = ${tuning.busyTimeoutMs}`);
  // WAL: readers never block the writer and a crash loses at most the open transaction.
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against application crashes; a power cut may drop the last
  // commits but never corrupts the file. The ingest path commits in large batches, so FULL's
  // extra fsync per commit would buy little and cost a lot.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`cache_size = ${-tuning.cacheMiB * 1024}`);
  db.pragma(`mmap_size = ${tuning.mmapMiB * 1024 * 1024}`);
  db.pragma('temp_store = MEMORY');
  // Keeps the WAL from staying at its high-water mark after a large import.
  db.pragma('journal_size_limit = 67108864');
  db.pragma('wal_autocheckpoint = 16384');
}

function migrate(db: SqliteDatabase, from: number): void {
  const pending = SQLITE_MIGRATIONS.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
  if (pending.length === 0) return;
  db.transaction(() => {
    if (from === 0) {
      db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL, description TEXT NOT NULL)');
    }
    for (const migration of pending) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at, description) VALUES (?, ?, ?)').run(
        migration.version,
        Date.now(),
        migration.description,
      );
    }
    db.pragma(`application_id = ${STRATA_APPLICATION_ID}`);
  }).immediate();
}

export interface OpenedDatabase {
  db: SqliteDatabase;
  schemaVersion: number;
  created: boolean;
}

/**
 * A catalog in a folder that cannot be written: nothing is created, migrated or tuned that
 * would write (journal mode, auto_vacuum); a catalog that needs a migration is refused, since
 * applying it is a write.
 */
export function openCatalogReadOnly(file: string, tuning: SqliteTuning = DEFAULT_TUNING, kind: CatalogKind = 'single'): OpenedDatabase {
  const inspected = inspectCatalogFile(file, tuning.busyTimeoutMs, kind, true);
  if (!inspected.exists) {
    throw new StrataError('read-only', `The data folder holding ${file} is read-only and has no catalog there yet, so there is nothing to read and none can be created. Choose the folder that holds the catalog, or a folder you may write.`, { file });
  }
  if (inspected.schemaVersion < LATEST_SCHEMA_VERSION) {
    throw new StrataError(
      'read-only',
      `The catalog ${file} was written by an older Strata (schema ${inspected.schemaVersion}; this version uses ${LATEST_SCHEMA_VERSION}) and must be upgraded, which is a write, but its folder is read-only. Open a copy of the data folder in a place you may write.`,
      { file, schemaVersion: inspected.schemaVersion },
    );
  }
  let db: SqliteDatabase | undefined;
  try {
    db = openSqliteReadOnly(file);
    db.pragma(`busy_timeout = ${tuning.busyTimeoutMs}`);
    db.pragma(`cache_size = ${-tuning.cacheMiB * 1024}`);
    db.pragma(`mmap_size = ${tuning.mmapMiB * 1024 * 1024}`);
    db.pragma('temp_store = MEMORY');
    return { db, schemaVersion: inspected.schemaVersion, created: false };
  } catch (error) {
    db?.close();
    throw mapSqliteError(error, file);
  }
}

export function openCatalogDatabase(file: string, tuning: SqliteTuning = DEFAULT_TUNING, kind: CatalogKind = 'single'): OpenedDatabase {
  const inspected = inspectCatalogFile(file, tuning.busyTimeoutMs, kind);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  prepareUserOnlyDatabase(file);
  let db: SqliteDatabase | undefined;
  try {
    // Long Windows paths take the \\?\ form (win-paths.ts); the file keeps its plain name in messages.
    db = new Database(sqliteOpenName(file));
    if (!inspected.exists) {
      // auto_vacuum only takes effect before the first table exists. INCREMENTAL lets the app
      // return space after deleting a collection without a full VACUUM rewrite.
      db.pragma('auto_vacuum = INCREMENTAL');
    }
    applyPragmas(db, tuning);
    migrate(db, inspected.schemaVersion);
    return { db, schemaVersion: LATEST_SCHEMA_VERSION, created: !inspected.exists };
  } catch (error) {
    db?.close();
    throw mapSqliteError(error, file);
  }
}
