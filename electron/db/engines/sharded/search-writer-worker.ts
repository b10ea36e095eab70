/**
 * The one writer of a sharded store's search file, on its own thread: the full-text rows of
 * each ingest batch arrive while the catalog thread writes the batch's files, and commit when
 * the catalog has committed (search-file.ts has the consistency rule). The catalog thread
 * never waits for this thread during an ingest.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serializeError } from '../../../../shared/errors';
import { applyPragmas } from '../sqlite/open-database';
import { mapSqliteError } from '../sqlite/sqlite-errors';
import { sqliteOpenName } from '../../win-paths';
import { CATALOG_ALIAS, FOLDER_OF_REL_PATH, INDEXED_UP_TO } from './search-file';
import type { SearchCommand, SearchRows, SearchWorkerData } from './search-protocol';
import { TextColumnReader } from './segment-columns';
import type { ShardReply, ShardRequest } from './shard-protocol';

const data = workerData as SearchWorkerData;
const port = parentPort;
if (!port) throw new Error('the search writer runs as a worker thread');

const db = new Database(sqliteOpenName(data.file), { fileMustExist: true });
applyPragmas(db, data.tuning);

const statements = {
  insert: db.prepare('INSERT INTO files_fts (rowid, name, folder, subject) VALUES (?, ?, ?, ?)'),
  remove: db.prepare('DELETE FROM files_fts WHERE rowid = ?'),
  mark: db.prepare(`UPDATE search_info SET value = CAST(max(CAST(value AS INTEGER), ?) AS TEXT) WHERE key = '${INDEXED_UP_TO}'`),
  setMark: db.prepare(`UPDATE search_info SET value = CAST(? AS TEXT) WHERE key = '${INDEXED_UP_TO}'`),
  readMark: db.prepare(`SELECT CAST(value AS INTEGER) FROM search_info WHERE key = '${INDEXED_UP_TO}'`).pluck(),
};

/** Whether a batch's transaction is open. */
let open = false;
/**
 * The first failure of a batch here. Later batches are not written: the mark must never pass
 * files that are missing, so everything from the failed batch on is left to the next open's
 * catch-up, which indexes it from the catalog.
 */
let failure: Error | null = null;

function rows(r: SearchRows): void {
  if (failure !== null) return;
  try {
    if (!open) {
      db.exec('BEGIN IMMEDIATE');
      open = true;
    }
    const names = new TextColumnReader(r.names);
    const folders = new TextColumnReader(r.folders);
    const subjects = new TextColumnReader(r.subjects);
    for (let i = 0; i < r.count; i++) statements.insert.run(r.fileIds[i], names.next(i), folders.next(i), subjects.next(i));
  } catch (error) {
    fail(error);
  }
}

function commit(upTo: number): void {
  if (failure !== null) return;
  try {
    if (!open) db.exec('BEGIN IMMEDIATE');
    open = false;
    statements.mark.run(upTo);
    db.exec('COMMIT');
  } catch (error) {
    fail(error);
  }
}

function fail(error: unknown): void {
  failure = error instanceof Error ? error : new Error(`the search writer failed: ${JSON.stringify(error)}`);
  open = false;
  if (db.inTransaction) db.exec('ROLLBACK');
}

function rollback(): void {
  open = false;
  if (db.inTransaction) db.exec('ROLLBACK');
}

/**
 * Indexes catalog files from the catalog file itself, attached for this one transaction. Runs
 * only at open or under the store's lock held alone, when the catalog connection writes nothing.
 */
function fillFromCatalog(whole: boolean): number {
  rollback();
  db.prepare(`ATTACH DATABASE ? AS ${CATALOG_ALIAS}`).run(sqliteOpenName(data.catalogFile));
  try {
    return db.transaction(() => {
      if (whole) db.prepare("INSERT INTO files_fts (files_fts) VALUES ('delete-all')").run();
      const from = whole ? 0 : (statements.readMark.get() as number);
      const added = db
        .prepare(`INSERT INTO files_fts (rowid, name, folder, subject) SELECT id, name, ${FOLDER_OF_REL_PATH}, subject FROM ${CATALOG_ALIAS}.files WHERE id > ? ORDER BY id`)
        .run(from).changes;
      const top = db.prepare(`SELECT coalesce(max(id), 0) FROM ${CATALOG_ALIAS}.files`).pluck().get() as number;
      if (whole) statements.setMark.run(top);
      else statements.mark.run(top);
      return added;
    })();
  } finally {
    db.exec(`DETACH DATABASE ${CATALOG_ALIAS}`);
  }
}

function execute(command: SearchCommand): unknown {
  switch (command.op) {
    case 'rows':
      rows(command.rows);
      return undefined;
    case 'commit':
      commit(command.upTo);
      return undefined;
    case 'rollback':
      rollback();
      return undefined;
    case 'catch-up':
    case 'rebuild': {
      const added = fillFromCatalog(command.op === 'rebuild');
      // The catalog is the source: whatever failed before is indexed now.
      failure = null;
      return added;
    }
    case 'purge':
      return db.transaction(() => command.fileIds.reduce((n, id) => n + statements.remove.run(id).changes, 0)).immediate();
    case 'check':
      try {
        db.prepare("INSERT INTO files_fts (files_fts, rank) VALUES ('integrity-check', 0)").run();
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    case 'sync':
      if (failure !== null) throw failure;
      return undefined;
    case 'checkpoint':
      db.pragma('wal_checkpoint(TRUNCATE)');
      return undefined;
    case 'close':
      rollback();
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      return undefined;
  }
}

const QUIET = new Set<SearchCommand['op']>(['rows', 'commit', 'rollback']);

port.on('message', (request: ShardRequest & { command: SearchCommand }) => {
  let reply: ShardReply;
  try {
    reply = { id: request.id, ok: true, value: execute(request.command) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(mapSqliteError(error, data.file)) };
  }
  // Batch messages carry no reply: a failure there is reported by the next 'sync'.
  if (QUIET.has(request.command.op)) return;
  port.postMessage(reply);
  if (request.command.op === 'close') port.close();
});
