/**
 * Builds the renderer once per e2e run into dist/renderer, the folder `strata serve` serves.
 * Skipped when the build is newer than every source it comes from (STRATA_E2E_BUILD=always
 * forces it), so re-running one test file does not pay for a build each time.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './catalogs';

const SOURCES = ['renderer/src', 'renderer/index.html', 'shared', 'vite.config.ts', 'package-lock.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, child)));
  return newest;
}

export function buildRenderer(log: (line: string) => void): void {
  const built = path.join(ROOT, 'dist', 'renderer', 'index.html');
  const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const sourcesAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
  if (process.env.STRATA_E2E_BUILD !== 'always' && builtAt > sourcesAt) {
    log('e2e: dist/renderer is up to date');
    return;
  }
  log('e2e: building the renderer (vite build)…');
  const started = Date.now();
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV is the app's: production. Under Vitest it is 'test', and vite build would then
  // bundle React's development build (2x the size, performance marks on every render), so the
  // tests and the UI bench would drive a page no user ever gets.
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  log(`e2e: renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
