/**
 * The catalogs the end-to-end tests open, generated once with the project's own generator
 * (`strata generate`, the same command a user runs) and cached under .bench-cache/e2e/ between
 * runs. Each openApp copies one, so a test that moves or changes its copy leaves the cache alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type CatalogName = 'million' | 'small' | 'empty';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CACHE = path.join(ROOT, '.bench-cache', 'e2e');
export const STRATA = path.join(ROOT, 'bin', 'strata.js');

interface GenerateRun {
  segments: number;
  collection: string;
  source: 'nzb' | 'local';
}

/**
 * 'million' holds the minimum of 1M segments in a posted (NZB) collection plus a local
 * one, so the library shows both kinds and every state; 'small' the same shape at ~50k.
 * Bump VERSION when the recipe changes so stale caches are rebuilt.
 */
const VERSION = 2;
const RECIPES: Record<CatalogName, GenerateRun[]> = {
  million: [
    { segments: 1_000_000, collection: 'Usenet archive', source: 'nzb' },
    { segments: 60_000, collection: 'Local photos', source: 'local' },
  ],
  small: [
    { segments: 40_000, collection: 'Usenet archive', source: 'nzb' },
    { segments: 10_000, collection: 'Local photos', source: 'local' },
  ],
  empty: [],
};

export function catalogDir(name: CatalogName): string {
  return path.join(CACHE, name);
}

function run(args: string[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [STRATA, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => log(d.toString('utf8').trim()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString('utf8');
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`strata ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`))));
  });
}

/** Builds the catalog once; a half-built one (interrupted run) never takes the final name. */
export async function ensureCatalog(name: CatalogName, log: (line: string) => void = () => {}): Promise<string> {
  const dir = catalogDir(name);
  const stamp = path.join(dir, 'e2e-catalog.json');
  const wanted = JSON.stringify({ version: VERSION, runs: RECIPES[name] });
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return dir;
  const building = `${dir}.building`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(building, { recursive: true });
  const started = Date.now();
  for (const r of RECIPES[name]) {
    log(`e2e: generating ${r.segments.toLocaleString('en')} segments into "${r.collection}" (${name})…`);
    await run(['generate', '--segments', String(r.segments), '--collection', r.collection, '--source', r.source, '--data', building, '--json'], () => {});
  }
  // The empty catalog is an empty data folder: the host creates its store on open, exactly what
  // a first run of the app sees (the CLI's read commands refuse a folder with no catalog).
  // A data folder copied per test must not carry a token or a lock from the generating run.
  fs.rmSync(path.join(building, 'host-token'), { force: true });
  fs.writeFileSync(path.join(building, 'e2e-catalog.json'), wanted);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(building, dir);
  if (RECIPES[name].length > 0) log(`e2e: catalog "${name}" ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}
