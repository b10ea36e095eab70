/**
 * Every worker thread the database process can start, by name, with its source file. The one
 * list both sides read: spawnWorker locates an entry by it (the source from a checkout, the
 * bundled `<name>.js` beside the database process in a build), and scripts/build-electron.ts
 * bundles each entry in it, so a worker cannot be started that the build left out.
 */
export const WORKER_ENTRIES = {
  'nzb-parse-worker': 'electron/db/ingest/nzb/nzb-parse-worker.ts',
  'shard-writer-worker': 'electron/db/engines/sharded/shard-writer-worker.ts',
  'sqlite-writer-worker': 'electron/db/engines/sqlite/writer-thread-worker.ts',
  'search-writer-worker': 'electron/db/engines/sharded/search-writer-worker.ts',
} as const;

export type WorkerEntry = keyof typeof WORKER_ENTRIES;
