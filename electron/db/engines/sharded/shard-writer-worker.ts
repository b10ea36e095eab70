/**
 * The one writer of one shard file, on its own thread: ingest epochs, purges of removed
 * files, segment updates and re-sharding moves all arrive here in order, so the shard never
 * sees two writers and the catalog thread never waits on a shard's disk.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { serializeError } from '../../../../shared/errors';
import { mapSqliteError } from '../sqlite/sqlite-errors';
import { openShardFile } from './shard-file';
import { TextColumnReader, type SegmentColumns } from './segment-columns';
import type { DropForeignResult, ShardCommand, ShardReply, ShardRequest, ShardWorkerData } from './shard-protocol';
import { shardOf } from './jump-hash';

const data = workerData as ShardWorkerData & { storeUid: string };
const port = parentPort;
if (!port) throw new Error('the shard writer runs as a worker thread');

const ROWS_PER_INSERT = 64;
const COLUMNS = 'file_id, number, bytes, state, hash, message_id, uploaded_at';
const db = openShardFile(data.file, { index: data.index, storeUid: data.storeUid }, data.tuning);

const statements = {
  insert: db.prepare(`INSERT INTO segments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  insertBlock: db.prepare(`INSERT INTO segments (${COLUMNS}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`),
  // The common shape, a run of one file's consecutive numbers without upload times, binds the
  // file id and first number once and four values per row (as tier 1 does; docs/benchmarks.md).
  insertLean: db.prepare(
    `INSERT INTO segments (${COLUMNS}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, (_, k) => `(@f, @n + ${k}, ?, ?, ?, ?, NULL)`).join(', ')}`,
  ),
  replace: db.prepare(`INSERT OR REPLACE INTO segments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`),
  replaceBlock: db.prepare(
    `INSERT OR REPLACE INTO segments (${COLUMNS}) VALUES ${Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
  ),
  recordEpoch: db.prepare('INSERT INTO epochs (epoch, lo, hi) VALUES (?, ?, ?)'),
  epochsAfter: db.prepare('SELECT epoch, lo, hi FROM epochs WHERE epoch > ? ORDER BY epoch'),
  deleteRange: db.prepare('DELETE FROM segments WHERE file_id BETWEEN ? AND ?'),
  deleteEpoch: db.prepare('DELETE FROM epochs WHERE epoch = ?'),
  prune: db.prepare('DELETE FROM epochs WHERE epoch <= ?'),
  purgeFile: db.prepare('DELETE FROM segments WHERE file_id = ?'),
  update: db.prepare('UPDATE segments SET state = ?, message_id = ?, uploaded_at = ? WHERE file_id = ? AND number = ?'),
  filesAfter: db.prepare('SELECT DISTINCT file_id FROM segments WHERE file_id > ? ORDER BY file_id LIMIT ?').pluck(),
};

/** The open ingest epoch: rows go into one transaction that `commit` closes. */
let open: { epoch: number; lo: number; hi: number; failure: unknown } | null = null;
const block: unknown[] = new Array(ROWS_PER_INSERT * 7);
const leanBlock: unknown[] = new Array(ROWS_PER_INSERT * 4);
const leanStart = { f: 0, n: 0 };
const row: unknown[] = new Array(7);

/** Whether rows [i, i + ROWS_PER_INSERT) are one file's consecutive numbers without upload times. */
function isLeanRun(c: SegmentColumns, i: number): boolean {
  const file = c.fileIds[i];
  const first = c.numbers[i] as number;
  for (let k = 0; k < ROWS_PER_INSERT; k++) {
    if (c.fileIds[i + k] !== file || c.numbers[i + k] !== first + k || !Number.isNaN(c.uploadedAt[i + k])) return false;
  }
  return true;
}

function writeColumns(c: SegmentColumns, one: Database.Statement, many: Database.Statement, lean: Database.Statement | null): void {
  const hashes = new TextColumnReader(c.hashes);
  const messageIds = new TextColumnReader(c.messageIds);
  const whole = c.count - (c.count % ROWS_PER_INSERT);
  let i = 0;
  for (; i < whole; i += ROWS_PER_INSERT) {
    if (lean && isLeanRun(c, i)) {
      let p = 0;
      for (let k = i; k < i + ROWS_PER_INSERT; k++) {
        const hash = hashes.next(k);
        leanBlock[p++] = c.bytes[k];
        leanBlock[p++] = c.states[k];
        leanBlock[p++] = hash === null ? null : Buffer.from(hash, 'hex');
        leanBlock[p++] = messageIds.next(k);
      }
      leanStart.f = c.fileIds[i] as number;
      leanStart.n = c.numbers[i] as number;
      lean.run(leanBlock, leanStart);
      continue;
    }
    let p = 0;
    for (let k = i; k < i + ROWS_PER_INSERT; k++) p = fillRow(c, k, hashes.next(k), messageIds.next(k), block, p);
    many.run(block);
  }
  for (; i < c.count; i++) {
    fillRow(c, i, hashes.next(i), messageIds.next(i), row, 0);
    one.run(row);
  }
}

function fillRow(c: SegmentColumns, k: number, hash: string | null, messageId: string | null, out: unknown[], p: number): number {
  const uploadedAt = c.uploadedAt[k] as number;
  out[p++] = c.fileIds[k];
  out[p++] = c.numbers[k];
  out[p++] = c.bytes[k];
  out[p++] = c.states[k];
  out[p++] = hash === null ? null : Buffer.from(hash, 'hex');
  out[p++] = messageId;
  out[p++] = Number.isNaN(uploadedAt) ? null : uploadedAt;
  return p;
}

function rows(epoch: number, columns: SegmentColumns): void {
  if (open && open.epoch !== epoch) throw new Error(`rows for epoch ${epoch} while epoch ${open.epoch} is open`);
  if (!open) {
    db.exec('BEGIN IMMEDIATE');
    open = { epoch, lo: Number.POSITIVE_INFINITY, hi: Number.NEGATIVE_INFINITY, failure: null };
  }
  if (open.failure !== null) return;
  try {
    for (let i = 0; i < columns.count; i++) {
      const id = columns.fileIds[i] as number;
      if (id < open.lo) open.lo = id;
      if (id > open.hi) open.hi = id;
    }
    writeColumns(columns, statements.insert, statements.insertBlock, statements.insertLean);
  } catch (error) {
    // Reported at commit: rows messages have no reply, and the batch must fail as a whole.
    open.failure = error;
  }
}

function commit(epoch: number): void {
  const current = open;
  open = null;
  if (!current) return;
  if (current.epoch !== epoch) throw new Error(`commit of epoch ${epoch} while epoch ${current.epoch} is open`);
  if (current.failure !== null) {
    db.exec('ROLLBACK');
    throw current.failure instanceof Error ? current.failure : new Error('the batch failed in this shard');
  }
  try {
    statements.recordEpoch.run(epoch, current.lo, current.hi);
    // An earlier epoch still recorded here was committed by the catalog: the store undoes a
    // failed epoch (or stops writing) before it starts the next one.
    statements.prune.run(epoch - 1);
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

function rollback(): void {
  open = null;
  if (db.inTransaction) db.exec('ROLLBACK');
}

function undo(after: number): number[] {
  rollback();
  const epochs = statements.epochsAfter.all(after) as { epoch: number; lo: number; hi: number }[];
  db.transaction(() => {
    for (const e of epochs) {
      statements.deleteRange.run(e.lo, e.hi);
      statements.deleteEpoch.run(e.epoch);
    }
  }).immediate();
  return epochs.map((e) => e.epoch);
}

function execute(command: ShardCommand): unknown {
  switch (command.op) {
    case 'rows':
      rows(command.epoch, command.columns);
      return undefined;
    case 'commit':
      commit(command.epoch);
      return undefined;
    case 'rollback':
      rollback();
      return undefined;
    case 'undo':
      return undo(command.after);
    case 'purge':
      return db.transaction(() => command.fileIds.reduce((n, id) => n + statements.purgeFile.run(id).changes, 0)).immediate();
    case 'update':
      return db
        .transaction(() => {
          let n = 0;
          for (const [fileId, number, state, messageId, uploadedAt] of command.rows) {
            n += statements.update.run(state, messageId, uploadedAt, fileId, number).changes;
          }
          return n;
        })
        .immediate();
    case 'copy':
      db.transaction(() => writeColumns(command.columns, statements.replace, statements.replaceBlock, null)).immediate();
      return command.columns.count;
    case 'drop-foreign': {
      const ids = statements.filesAfter.all(command.afterFileId, command.files) as number[];
      const deleted = db
        .transaction(() => ids.reduce((n, id) => (shardOf(id, command.shardCount) === data.index ? n : n + statements.purgeFile.run(id).changes), 0))
        .immediate();
      const result: DropForeignResult = { deleted, lastFileId: ids.at(-1) ?? command.afterFileId, done: ids.length < command.files };
      return result;
    }
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

port.on('message', (request: ShardRequest) => {
  let reply: ShardReply;
  try {
    reply = { id: request.id, ok: true, value: execute(request.command) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: serializeError(mapSqliteError(error, data.file)) };
  }
  // 'rows' carries no reply unless it was refused outright (a protocol error).
  if (request.command.op === 'rows' && reply.ok) return;
  port.postMessage(reply);
  if (request.command.op === 'close') port.close();
});
