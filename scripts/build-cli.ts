/**
 * Bundles the `strata` command into out/cli/ so that each call starts from JavaScript instead of
 * compiling the TypeScript sources through tsx (about a second a call). The worker-thread
 * entries are bundled beside it, where spawn-worker looks for them from a bundle. The packages
 * are bundled as in the app's build, except the native ones and PGlite (its wasm lies beside
 * its own files), which load from node_modules: the command only ever runs from a checkout.
 *
 * bin/strata.js runs the bundle while out/cli/sources.json (written last) still matches the
 * mtime of every file it was built from, and calls buildCli() first when it does not.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WORKER_ENTRIES } from '../electron/db/worker-entries';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from './esbuild-node';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT = path.join(ROOT, 'out', 'cli');
export const SOURCES_STAMP = path.join(CLI_OUT, 'sources.json');

// The workers are loaded by path (spawn-worker: `./<name>.js` beside the bundle), from the one list.
const ENTRIES = { strata: 'cli/main.ts', ...WORKER_ENTRIES };

/** The build's own settings count as sources: a change to them must rebuild too. */
const BUILD_FILES = ['scripts/build-cli.ts', 'scripts/esbuild-node.ts', 'package.json'];

/** Writes through a temporary name and a rename, so a concurrent run never imports half a file. */
function writeAtomically(file: string, contents: Uint8Array | string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, contents);
  fs.renameSync(temp, file);
}

/**
 * How long a replaced chunk is kept: a command started from an earlier build (a `strata serve`
 * left running for hours) may still import one of its chunks; a chunk only changes name when
 * its content changes, so a day of edits leaves a few MB.
 */
const OLD_CHUNK_GRACE_MS = 24 * 3_600_000;

/** Chunk names carry their hash, so each build adds files; those of older builds go after a while. */
function pruneOldChunks(current: Set<string>, now: number): void {
  for (const name of fs.readdirSync(CLI_OUT)) {
    const file = path.join(CLI_OUT, name);
    if (!name.startsWith('chunk-') || current.has(file)) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > OLD_CHUNK_GRACE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Removed by a concurrent build.
    }
  }
}

export async function buildCli(): Promise<{ outputs: string[]; sources: number; ms: number }> {
  const started = Date.now();
  const result = await build({
    ...NODE_BUNDLE,
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: CLI_OUT,
    format: 'esm',
    // Each command loads its code (and the engines and packages behind it) by a dynamic import
    // when it runs; split into chunks, that code is not even parsed for `strata --help`, and an
    // external package is imported by the chunk that needs it instead of at the bundle's top.
    splitting: true,
    // Beside the entries, not in a folder of their own: spawn-worker finds the workers at
    // `./<name>.js` from whichever file holds it, and serve finds the pages from there too.
    chunkNames: 'chunk-[hash]',
    // The packages are bundled like the app's database process bundles them (only the native
    // ones and PGlite stay external, see NODE_BUNDLE): loading pg, zod or ws from node_modules
    // as separate CommonJS files through Node's ES module loader cost more at each start than
    // running them from the chunk.
    banner: ESM_REQUIRE_BANNER,
    metafile: true,
    write: false,
  });
  fs.mkdirSync(CLI_OUT, { recursive: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  pruneOldChunks(new Set(result.outputFiles.map((f) => f.path)), started);
  // A JSON import is keyed with its import attributes ("package.json with { type: 'json' }").
  const inputs = Object.keys(result.metafile.inputs).map((key) => key.replace(/ with \{.*\}$/u, ''));
  const sources = [...new Set([...inputs, ...BUILD_FILES])];
  const mtimes: Record<string, number> = {};
  let editedDuringBuild = false;
  for (const source of sources) {
    const mtimeMs = fs.statSync(path.join(ROOT, source)).mtimeMs;
    // A source saved while esbuild read it may not be in the bundle: leave the stamp stale.
    if (mtimeMs >= started) editedDuringBuild = true;
    mtimes[source] = mtimeMs;
  }
  if (!editedDuringBuild) writeAtomically(SOURCES_STAMP, `${JSON.stringify({ built_at: new Date(started).toISOString(), sources: mtimes })}\n`);
  return { outputs: result.outputFiles.map((f) => path.relative(ROOT, f.path)), sources: sources.length, ms: Date.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildCli();
  const entries = built.outputs.filter((f) => !f.endsWith('.map') && !path.basename(f).startsWith('chunk-'));
  process.stdout.write(`built ${entries.join(', ')} (and ${built.outputs.filter((f) => path.basename(f).startsWith('chunk-') && !f.endsWith('.map')).length} chunks) from ${built.sources} sources in ${built.ms} ms\n`);
}
