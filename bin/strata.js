#!/usr/bin/env node
// The `strata` command. It runs the bundle in out/cli/ (built by scripts/build-cli.ts), because
// compiling the TypeScript sources through tsx at every call cost about a second. The bundle is
// used only while every source it was built from keeps the mtime recorded at its build, so a
// fresh clone, an edit or a checkout of another branch rebuilds it first (tests always run the
// current sources); if it cannot be built, the sources run through tsx as before.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = path.join(ROOT, 'out', 'cli', 'strata.js');
const STAMP = path.join(ROOT, 'out', 'cli', 'sources.json');

function bundleIsCurrent() {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(STAMP, 'utf8')).sources;
    if (!fs.existsSync(BUNDLE)) return false;
  } catch {
    return false;
  }
  for (const [source, mtimeMs] of Object.entries(recorded)) {
    try {
      if (fs.statSync(path.join(ROOT, source)).mtimeMs !== mtimeMs) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** Builds the bundle; when that fails (no esbuild: a production install), the sources instead. */
async function rebuiltOrSources() {
  const { register } = await import('tsx/esm/api');
  register();
  try {
    const { buildCli } = await import('../scripts/build-cli.ts');
    await buildCli();
    return pathToFileURL(BUNDLE).href;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`strata: running from the TypeScript sources; the bundle could not be built (${reason}).\n`);
    return pathToFileURL(path.join(ROOT, 'cli', 'main.ts')).href;
  }
}

await import(bundleIsCurrent() ? pathToFileURL(BUNDLE).href : await rebuiltOrSources());
