/**
 * The sharded tier's full-text index in a file of its own (`search.db` beside the catalog), so
 * its writes run on a thread of their own instead of the catalog thread's (docs/benchmarks.md,
 * "Tier 2: the full-text index in its own file").
 *
 * It holds nothing the catalog does not: every row is a file's name, folder and subject, keyed
 * by the file's id. That makes its consistency rule simple. Its writer commits a batch's rows
 * only after the catalog committed the batch, and records the highest file id it holds; at
 * open, files the catalog committed above that mark are indexed again (a kill between the two
 * commits), removed files are purged through `dead_files` like their segments, and searches
 * join the catalog's committed `files`, so a row whose file is gone or was never committed
 * matches nothing. A missing, damaged or foreign search file is simply built again.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { prepareUserOnlyDatabase } from '../../file-modes';
import { openSqliteReadOnly, readOnlyName } from '../../read-only/read-only-sqlite';
import { applyPragmas, type SqliteDatabase, type SqliteTuning } from '../sqlite/open-database';
import { sqliteOpenName } from '../../win-paths';

export const SEARCH_FILE = 'search.db';
/** 'STRX': a Strata search file. */
export const SEARCH_APPLICATION_ID = 0x53545258;
export const SEARCH_SCHEMA_VERSION = 1;
/** The alias under which the search file's connections see the catalog. */
export const CATALOG_ALIAS = 'catalog';

/** The index itself has the one-file catalog's definition (schema.ts), so the same search SQL runs on it. */
const SEARCH_DDL = `
  CREATE VIRTUAL TABLE files_fts USING fts5 (
    name, folder, subject,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO files_fts (files_fts, rank) VALUES ('automerge', 8);
  CREATE TABLE search_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

/** The file id up to which the catalog's committed files are all indexed here. */
export const INDEXED_UP_TO = 'indexed_up_to';

/** The folder part of rel_path in SQL: the last component trimmed, then the slash before it. */
export const FOLDER_OF_REL_PATH = "rtrim(rtrim(rel_path, replace(rel_path, '/', '')), '/')";

/** Whether `file` is this store's search file in a version this Strata reads; anything else is rebuilt. */
function usable(db: SqliteDatabase, storeUid: string): boolean {
  try {
    if (db.pragma('application_id', { simple: true }) !== SEARCH_APPLICATION_ID) return false;
    if ((db.pragma('user_version', { simple: true }) as number) !== SEARCH_SCHEMA_VERSION) return false;
    const uid = db.prepare("SELECT value FROM search_info WHERE key = 'store_uid'").pluck().get();
    // Damaged pages are found by the integrity check and fixed by repair (a rebuild).
    return uid === storeUid;
  } catch {
    return false;
  }
}

/**
 * Opens the search file for its writer, creating it (empty, indexed up to 0) when it is
 * missing or not usable. `created` says the whole catalog must be indexed into it.
 */
export function openSearchFileForWriting(file: string, storeUid: string, tuning: SqliteTuning): { db: SqliteDatabase; created: boolean } {
  if (fs.existsSync(file)) {
    prepareUserOnlyDatabase(file);
    const db = new Database(sqliteOpenName(file), { fileMustExist: true });
    if (usable(db, storeUid)) {
      applyPragmas(db, tuning);
      return { db, created: false };
    }
    db.close();
    // Derived data only: a damaged or foreign file is replaced, never repaired in place.
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
  }
  prepareUserOnlyDatabase(file);
  const db = new Database(sqliteOpenName(file));
  applyPragmas(db, tuning);
  db.transaction(() => {
    db.exec(SEARCH_DDL);
    const put = db.prepare('INSERT INTO search_info (key, value) VALUES (?, ?)');
    put.run('store_uid', storeUid);
    put.run(INDEXED_UP_TO, '0');
    db.pragma(`application_id = ${SEARCH_APPLICATION_ID}`);
    db.pragma(`user_version = ${SEARCH_SCHEMA_VERSION}`);
  }).immediate();
  return { db, created: true };
}

/**
 * The connection searches run on: the search file, with the catalog attached, both read-only.
 * It sees only what both files committed, so a batch still being written never shows. Null
 * when the file is not there or not usable (a read-only folder of a store from before the
 * search file: the catalog's own index serves, see ShardedCore.search).
 */
export function openSearchReader(searchFile: string, catalogFile: string, storeUid: string, tuning: SqliteTuning, readOnlyFolder: boolean): SqliteDatabase | null {
  if (!fs.existsSync(searchFile)) return null;
  let db: SqliteDatabase | undefined;
  try {
    db = readOnlyFolder ? openSqliteReadOnly(searchFile) : new Database(sqliteOpenName(searchFile), { readonly: true, fileMustExist: true });
    if (!usable(db, storeUid)) {
      db.close();
      return null;
    }
    db.pragma(`cache_size = ${-tuning.cacheMiB * 1024}`);
    db.pragma(`mmap_size = ${tuning.mmapMiB * 1024 * 1024}`);
    db.prepare(`ATTACH DATABASE ? AS ${CATALOG_ALIAS}`).run(readOnlyFolder ? readOnlyName(catalogFile) : sqliteOpenName(catalogFile));
    return db;
  } catch {
    db?.close();
    return null;
  }
}
