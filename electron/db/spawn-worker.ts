/**
 * Starts a worker-thread entry that sits beside the calling module. From sources (CLI, tests)
 * the entry is TypeScript and starts through the tsx bootstrap, because loader flags such as
 * --import do not reach worker threads; a build bundles the entry as JavaScript beside the
 * database process bundle, where `callerUrl` then points.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const BOOTSTRAP_URL = new URL('./ts-worker-bootstrap.js', import.meta.url);

export function spawnWorker(callerUrl: string, entryName: string, workerData: object): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const entry = new URL(`./${entryName}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(fileURLToPath(entry), { workerData });
  return new Worker(fileURLToPath(BOOTSTRAP_URL), { workerData: { ...workerData, __entry: entry.href } });
}
