/**
 * One segment shard: a SQLite file holding the `segments` of the files that jump-hash to it,
 * plus the epochs it wrote (so a batch the catalog never committed can be taken back) and
 * its identity (which store and which index it belongs to), so a shard copied in from
 * elsewhere or renamed is refused rather than silently read.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { openSqliteReadOnly } from '../../read-only/read-only-sqlite';
import { prepareUserOnlyDatabase } from '../../file-modes';
import { StrataError } from '../../../../shared/errors';
import { applyPragmas, type SqliteDatabase, type SqliteTuning } from '../sqlite/open-database';
import { sqliteCode } from '../sqlite/sqlite-errors';
import { SEGMENTS_TABLE_SQL } from '../sqlite/schema';
import { sqliteOpenName } from '../../win-paths';

/** 'STRS': a Strata segment shard. */
export const SHARD_APPLICATION_ID = 0x53545253;
export const SHARD_SCHEMA_VERSION = 1;

const SHARD_DDL = `
  -- The same table as a one-file catalog's: WITHOUT ROWID, keyed by (file_id, number).
  ${SEGMENTS_TABLE_SQL}
  -- Ingest batches this shard committed, with the file id range they wrote. File ids are never
  -- reused, so deleting that range takes back exactly what the batch added.
  CREATE TABLE epochs (
    epoch INTEGER PRIMARY KEY,
    lo    INTEGER NOT NULL,
    hi    INTEGER NOT NULL
  );
  CREATE TABLE shard_info (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
`;

export interface ShardIdentity {
  index: number;
  storeUid: string;
}

export type ShardProblem = 'missing' | 'damaged' | 'foreign';

export function shardFileName(index: number): string {
  return `shard-${String(index).padStart(3, '0')}.db`;
}

export function shardUnavailable(file: string, index: number, problem: ShardProblem, detail?: string): StrataError {
  const what =
    problem === 'missing'
      ? 'is missing'
      : problem === 'foreign'
        ? `belongs to another catalog or position${detail ? ` (${detail})` : ''}`
        : `is damaged${detail ? ` (${detail})` : ''}`;
  return new StrataError(
    'shard-unavailable',
    `Segment shard ${index} (${file}) ${what}. The files whose segments live in it cannot show or change their segments, and imports are paused; everything else stays readable. Restore the data folder from a backup, or put the original file back.`,
    { file, index, problem },
  );
}

/** Creates a new, empty shard file; refuses to touch a file that already has content. */
export function createShardFile(file: string, identity: ShardIdentity, tuning: SqliteTuning): void {
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    throw shardUnavailable(file, identity.index, 'foreign', 'a file is already there');
  }
  prepareUserOnlyDatabase(file);
  const db = new Database(sqliteOpenName(file));
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    applyPragmas(db, tuning);
    db.transaction(() => {
      db.exec(SHARD_DDL);
      const put = db.prepare('INSERT INTO shard_info (key, value) VALUES (?, ?)');
      put.run('index', String(identity.index));
      put.run('store_uid', identity.storeUid);
      db.pragma(`application_id = ${SHARD_APPLICATION_ID}`);
      db.pragma(`user_version = ${SHARD_SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    db.close();
  }
}

/**
 * Opens a shard for use after checking what it is. Every failure is a `shard-unavailable`
 * error naming the file, so the store can keep the other shards open.
 */
export function openShardFile(file: string, identity: ShardIdentity, tuning: SqliteTuning, readOnly = false): SqliteDatabase {
  if (!fs.existsSync(file)) throw shardUnavailable(file, identity.index, 'missing');
  let db: SqliteDatabase | undefined;
  try {
    if (readOnly) {
      db = openSqliteReadOnly(file);
    } else {
      prepareUserOnlyDatabase(file);
      db = new Database(sqliteOpenName(file), { fileMustExist: true });
    }
    if (db.pragma('application_id', { simple: true }) !== SHARD_APPLICATION_ID) {
      throw shardUnavailable(file, identity.index, 'foreign', 'not a Strata segment shard');
    }
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SHARD_SCHEMA_VERSION) {
      throw shardUnavailable(file, identity.index, 'foreign', `written by a newer Strata (shard schema ${version})`);
    }
    const info = new Map(
      (db.prepare('SELECT key, value FROM shard_info').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    if (info.get('store_uid') !== identity.storeUid || info.get('index') !== String(identity.index)) {
      throw shardUnavailable(file, identity.index, 'foreign', `it says it is shard ${info.get('index') ?? '?'} of store ${info.get('store_uid') ?? '?'}`);
    }
    if (readOnly) {
      // The journal mode and synchronous pragmas would write; only the read tuning applies.
      db.pragma(`cache_size = ${-tuning.cacheMiB * 1024}`);
      db.pragma(`mmap_size = ${tuning.mmapMiB * 1024 * 1024}`);
    } else {
      applyPragmas(db, tuning);
    }
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StrataError) throw error;
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      throw shardUnavailable(file, identity.index, 'damaged', (error as Error).message);
    }
    throw error;
  }
}
