/**
 * Test speed-up (a Vitest global setup): the worker-thread entries (WORKER_ENTRIES) are bundled
 * once per run with esbuild, as the app's build bundles them, and spawnWorker starts those
 * bundles while the tests run the rest from sources (STRATA_WORKER_BUNDLE_DIR). Without it every
 * worker a test starts (three shard writers per sharded open, one parser per NZB import)
 * registers tsx and compiles its sources again, 0.3 to 3 s each on this machine. The code is
 * the same checkout's, built fresh for the run. STRATA_WORKER_BUNDLE_DIR= (empty) keeps tsx.
 *
 * The bundles lie under out/test-workers/<pid>-…/ inside the checkout, so the packages left
 * outside the bundle (better-sqlite3, PGlite) resolve from its node_modules; removed at teardown.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WORKER_ENTRIES } from '../../electron/db/worker-entries';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from '../esbuild-node';
import { freshRunFolder } from './run-folder';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'out', 'test-workers');


export default async function setup(): Promise<() => void> {
  if (process.env.STRATA_WORKER_BUNDLE_DIR !== undefined) return () => undefined;
  const dir = freshRunFolder(OUT);
  await build({
    ...NODE_BUNDLE,
    sourcemap: 'inline',
    absWorkingDir: ROOT,
    entryPoints: { ...WORKER_ENTRIES },
    outdir: dir,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    banner: ESM_REQUIRE_BANNER,
  });
  process.env.STRATA_WORKER_BUNDLE_DIR = dir;
  return () => {
    delete process.env.STRATA_WORKER_BUNDLE_DIR;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
