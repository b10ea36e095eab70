/**
 * Bundles the Electron side into out/ (or `--out <dir>`): main (CommonJS), the sandboxed
 * preload (one self-contained CommonJS file, as sandboxed preloads must be), and the database
 * process with every worker thread it can start (WORKER_ENTRIES, the list spawnWorker reads),
 * as ES modules beside each other. Native modules stay external and load from node_modules
 * (unpacked from the asar when packaged).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { WORKER_ENTRIES } from '../electron/db/worker-entries';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from './esbuild-node';

const ROOT = path.resolve(import.meta.dirname, '..');

const common: BuildOptions = { ...NODE_BUNDLE, absWorkingDir: ROOT };

/** Builds every entry into `outDir`; resolves when all are written. */
export async function buildElectron(outDir: string): Promise<void> {
  await Promise.all([
    build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: path.join(outDir, 'main', 'main.cjs'), format: 'cjs' }),
    build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: path.join(outDir, 'preload', 'preload.cjs'), format: 'cjs' }),
    build({
      ...common,
      entryPoints: { 'database-process': 'electron/db/database-process.ts', ...WORKER_ENTRIES },
      outdir: path.join(outDir, 'db'),
      format: 'esm',
      banner: ESM_REQUIRE_BANNER,
    }),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'out' } } });
  const outDir = path.resolve(ROOT, values.out ?? 'out');
  await buildElectron(outDir);
  process.stdout.write(`built ${['main', 'preload', 'db'].map((d) => path.relative(ROOT, path.join(outDir, d))).join(', ')}\n`);
}
