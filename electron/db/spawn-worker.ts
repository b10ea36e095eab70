/**
 * Starts a worker-thread entry named in WORKER_ENTRIES. From sources (CLI, tests) the entry is
 * TypeScript and starts through the tsx bootstrap, because loader flags such as --import do
 * not reach worker threads; a build bundles this module into the database process and each
 * entry as `<name>.js` beside it, where this module's own URL then points.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WORKER_ENTRIES, type WorkerEntry } from './worker-entries';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const BOOTSTRAP_URL = new URL('./ts-worker-bootstrap.js', import.meta.url);
/** The checkout's root, from this file (electron/db/spawn-worker.ts). */
const ROOT_URL = new URL('../../', import.meta.url);

/** Where an entry's code is: its source in a checkout, its bundle beside this module in a build. */
export function workerEntryUrl(name: WorkerEntry, fromSources = FROM_SOURCES): URL {
  return fromSources ? new URL(WORKER_ENTRIES[name], ROOT_URL) : new URL(`./${name}.js`, import.meta.url);
}

export function spawnWorker(name: WorkerEntry, workerData: object): Worker {
  const entry = workerEntryUrl(name);
  if (!FROM_SOURCES) return new Worker(fileURLToPath(entry), { workerData });
  // The unit tests run from sources but bundle the entries once per run (scripts/testing/
  // worker-bundle.ts): the same code, without compiling it again in every thread they start.
  const bundles = process.env.STRATA_WORKER_BUNDLE_DIR;
  if (bundles) return new Worker(path.join(bundles, `${name}.js`), { workerData });
  return new Worker(fileURLToPath(BOOTSTRAP_URL), { workerData: { ...workerData, __entry: entry.href } });
}
