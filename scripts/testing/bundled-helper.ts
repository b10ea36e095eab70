/**
 * Test speed-up for the crash tests that SIGKILL a helper process again and again: the helper
 * (a TypeScript file) is bundled once per test file with esbuild, the worker-thread entries
 * beside it (where spawn-worker looks for them from a bundle), exactly as the `strata` command is
 * built (scripts/build-cli.ts). Started through tsx, each helper paid for compiling its sources
 * and, inside each of its shard writer threads, for registering tsx again: 8-9 s to its first
 * commit on this loaded machine, 1.2 s from the bundle. The code that runs is the same sources,
 * bundled as the app's build bundles them, built fresh from the checkout for every run.
 *
 *   const helper = await bundledHelper(HELPER);      // once, e.g. in beforeAll
 *   spawn(process.execPath, [helper, ...args]);
 *
 * The bundle lies under out/test-helpers/ (packages outside the bundle, better-sqlite3 and
 * PGlite, resolve from the checkout's node_modules), in a folder of this process's own,
 * removed when the process exits (or by the next run, once that process is gone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WORKER_ENTRIES } from '../../electron/db/worker-entries';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from '../esbuild-node';
import { freshRunFolder } from './run-folder';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'out', 'test-helpers');

const built = new Map<string, Promise<string>>();
let outDir: string | null = null;


function ownOutDir(): string {
  if (!outDir) {
    const dir = freshRunFolder(OUT);
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    outDir = dir;
  }
  return outDir;
}

async function bundle(helper: string): Promise<string> {
  const name = path.basename(helper).replace(/\.ts$/u, '');
  if (name in WORKER_ENTRIES) throw new Error(`a helper may not be named like a worker entry (${name})`);
  const outdir = ownOutDir();
  await build({
    ...NODE_BUNDLE,
    sourcemap: 'inline',
    absWorkingDir: ROOT,
    entryPoints: { [name]: helper, ...WORKER_ENTRIES },
    outdir,
    format: 'esm',
    splitting: true,
    chunkNames: 'chunk-[hash]',
    banner: ESM_REQUIRE_BANNER,
  });
  return path.join(outdir, `${name}.js`);
}

/** The path of `helper` (a .ts file) bundled into JavaScript, built once per process. */
export function bundledHelper(helper: string): Promise<string> {
  const key = path.resolve(helper);
  let file = built.get(key);
  if (!file) {
    file = bundle(key);
    built.set(key, file);
  }
  return file;
}
