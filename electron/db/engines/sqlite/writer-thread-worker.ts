/**
 * The writer thread of a one-file catalog: imports' batches (and the parts of huge files)
 * are written here, on a connection of its own, so the thread that answers calls never sits
 * inside a write transaction. SQLite's WAL lets that thread's connection read the last
 * committed state meanwhile; commands run one at a time, in the order they were sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serializeError } from '../../../../shared/errors';
import type { IngestSession } from '../../store-front/engine-core';
import { sqliteOpenName } from '../../win-paths';
import { decodeColumnar, isColumnar } from './columnar-batch';
import { decodeAppend, decodeBatch } from './ingest-wire';
import { LocalSegments } from './local-segments';
import { applyPragmas } from './open-database';
import { SqliteCore } from './sqlite-core';
import { mapSqliteError } from './sqlite-errors';
import type { WriteReply, WriterCommand, WriterReply, WriterRequest, WriterThreadData } from './writer-thread-protocol';

const data = workerData as WriterThreadData;
const port = parentPort;
if (!port) throw new Error('the catalog writer runs as a worker thread');

// The calls' thread created and migrated the file before starting this thread: here it is
// only opened, with the same connection settings.
const core = (() => {
  try {
    const db = new Database(sqliteOpenName(data.file));
    applyPragmas(db, data.tuning);
    return new SqliteCore(db, data.file, data.schemaVersion, false, (c) => new LocalSegments(c));
  } catch (error) {
    throw mapSqliteError(error, data.file);
  }
})();
const sessions = new Map<number, IngestSession>();

async function handle(command: WriterCommand): Promise<unknown> {
  switch (command.op) {
    case 'start':
      sessions.set(command.session, await core.startIngest(command.collectionId, command.onExisting));
      return null;
    case 'write': {
      const session = sessions.get(command.session);
      if (!session) throw new Error(`no ingest session ${command.session}`);
      const batch = command.batch;
      const outcome = await session.write(isColumnar(batch) ? decodeColumnar(batch) : decodeBatch(batch));
      const reply: WriteReply = { outcome, knownSources: session.knownSources() };
      return reply;
    }
    case 'end':
      sessions.delete(command.session);
      return null;
    case 'append':
      return core.appendSegments(command.fileId, decodeAppend(command.part));
    case 'close':
      sessions.clear();
      // The calls' thread keeps its connection and folds the WAL back at its own close.
      core.db.close();
      core.closed = true;
      return null;
  }
}

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: WriterRequest) => {
  queue = queue.then(async () => {
    let reply: WriterReply;
    try {
      reply = { id: request.id, ok: true, value: await handle(request.command) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: serializeError(core.mapError(error)) };
    }
    port.postMessage(reply);
  });
});
