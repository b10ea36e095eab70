/**
 * What a sharded store keeps in its catalog file beyond the one-file schema: the shard map
 * (versioned, so re-sharding switches it in one transaction), the last ingest epoch every
 * shard agrees on, the file-id high-water mark, removed files whose segments still wait to be
 * purged from their shard, and segment updates not yet applied to every shard.
 */
import { randomUUID } from 'node:crypto';
import type { SqliteDatabase } from '../sqlite/open-database';

const SHARDED_CATALOG_DDL = `
  CREATE TABLE IF NOT EXISTS shard_state (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    store_uid       TEXT NOT NULL,
    map_version     INTEGER NOT NULL,
    -- Every ingest epoch up to this one is in the catalog; a shard's epochs above it are undone at open.
    committed_epoch INTEGER NOT NULL DEFAULT 0,
    -- File ids are handed out from here and never reused: a removed file's segments may
    -- outlive it in its shard until they are purged.
    next_file_id    INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE IF NOT EXISTS shard_maps (
    version     INTEGER PRIMARY KEY,
    shard_count INTEGER NOT NULL CHECK (shard_count BETWEEN 1 AND 256),
    created_at  INTEGER NOT NULL,
    -- active: routes reads and writes. copying: a re-sharding target being filled.
    -- cleanup: active, while rows that moved away are still being removed from their old shards.
    -- retired: replaced by a later map.
    state       TEXT NOT NULL CHECK (state IN ('active', 'copying', 'cleanup', 'retired'))
  );
  CREATE TABLE IF NOT EXISTS dead_files (file_id INTEGER PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS segment_journal (
    id      INTEGER PRIMARY KEY,
    -- JSON list of [file_id, number, state, message_id, uploaded_at] with final values.
    payload TEXT NOT NULL
  );
`;

export interface ShardMap {
  version: number;
  shardCount: number;
  state: 'active' | 'copying' | 'cleanup' | 'retired';
}

export interface ShardState {
  storeUid: string;
  mapVersion: number;
  committedEpoch: number;
  nextFileId: number;
}

/** Adds the sharded tables to a freshly migrated catalog, with a first map of `shardCount`. */
export function ensureShardedCatalog(db: SqliteDatabase, shardCount: number): { created: boolean } {
  return db
    .transaction(() => {
      db.exec(SHARDED_CATALOG_DDL);
      if (db.prepare('SELECT 1 FROM shard_state').get()) return { created: false };
      const maxFile = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM files').get() as { m: number }).m;
      db.prepare('INSERT INTO shard_state (id, store_uid, map_version, next_file_id) VALUES (1, ?, 1, ?)').run(randomUUID(), maxFile + 1);
      db.prepare("INSERT INTO shard_maps (version, shard_count, created_at, state) VALUES (1, ?, ?, 'active')").run(shardCount, Date.now());
      return { created: true };
    })
    .immediate();
}

export function readShardState(db: SqliteDatabase): ShardState {
  const row = db.prepare('SELECT store_uid, map_version, committed_epoch, next_file_id FROM shard_state').get() as {
    store_uid: string;
    map_version: number;
    committed_epoch: number;
    next_file_id: number;
  };
  return { storeUid: row.store_uid, mapVersion: row.map_version, committedEpoch: row.committed_epoch, nextFileId: row.next_file_id };
}

export function readShardMap(db: SqliteDatabase, version: number): ShardMap | null {
  const row = db.prepare('SELECT version, shard_count, state FROM shard_maps WHERE version = ?').get(version) as
    | { version: number; shard_count: number; state: ShardMap['state'] }
    | undefined;
  return row ? { version: row.version, shardCount: row.shard_count, state: row.state } : null;
}

/** The map being filled by an unfinished re-sharding, if any. */
export function readCopyingMap(db: SqliteDatabase): ShardMap | null {
  const row = db.prepare("SELECT version FROM shard_maps WHERE state = 'copying' ORDER BY version DESC LIMIT 1").get() as
    | { version: number }
    | undefined;
  return row ? readShardMap(db, row.version) : null;
}
