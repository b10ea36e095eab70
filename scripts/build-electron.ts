/**
 * Bundles the Electron side into out/: main (CommonJS), the sandboxed preload (one
 * self-contained CommonJS file, as sandboxed preloads must be), and the database process with
 * its NZB parse worker (ES modules, beside each other as read-nzb-file expects). Native
 * modules stay external and load from node_modules (unpacked from the asar when packaged).
 */
import { build, type BuildOptions } from 'esbuild';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from './esbuild-node';

const common: BuildOptions = NODE_BUNDLE;

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'out/main/main.cjs', format: 'cjs' }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'out/preload/preload.cjs', format: 'cjs' }),
  build({
    ...common,
    entryPoints: { 'database-process': 'electron/db/database-process.ts', 'nzb-parse-worker': 'electron/db/ingest/nzb/nzb-parse-worker.ts' },
    outdir: 'out/db',
    format: 'esm',
    banner: ESM_REQUIRE_BANNER,
  }),
]);
process.stdout.write('built out/main, out/preload, out/db\n');
