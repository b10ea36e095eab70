/**
 * Bundles the Electron side into out/: main (CommonJS), the sandboxed preload (one
 * self-contained CommonJS file, as sandboxed preloads must be), and the database process with
 * its NZB parse worker (ES modules, beside each other as read-nzb-file expects). Native
 * modules stay external and load from node_modules (unpacked from the asar when packaged).
 */
import { build, type BuildOptions } from 'esbuild';

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // 7zip-bin finds its 7za binary next to its own file (unpacked from the asar), so it cannot be
  // bundled; pg-native is an optional dependency of pg that Strata does not use.
  external: ['electron', 'better-sqlite3', '7zip-bin', 'pg-native'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'out/main/main.cjs', format: 'cjs' }),
  build({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'out/preload/preload.cjs', format: 'cjs' }),
  build({
    ...common,
    entryPoints: { 'database-process': 'electron/db/database-process.ts', 'nzb-parse-worker': 'electron/db/ingest/nzb/nzb-parse-worker.ts' },
    outdir: 'out/db',
    format: 'esm',
    // Bundled ES modules still meet CommonJS dependencies that call require().
    banner: { js: "import { createRequire as __strataRequire } from 'node:module'; const require = __strataRequire(import.meta.url);" },
  }),
]);
process.stdout.write('built out/main, out/preload, out/db\n');
