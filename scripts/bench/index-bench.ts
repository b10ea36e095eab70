/**
 * `npm run bench -- index --mb N`: folder indexing against `cat` reading the same files, in
 * the same run. Both are timed from a cold page cache (caches dropped before each, which needs
 * root) because indexing is meant to be limited by the disk; warm-cache times are printed too.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../generate/rng';
import { log, round, runChild, tempDir } from './bench-utils';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index-phase.ts');

function buildTree(mb: number, seed: number): string {
  const dir = path.resolve('.bench-cache', `index-tree-${mb}mb-${seed}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  log(`writing a ${mb} MB folder tree to ${dir} (cached)…`);
  const rng = new Rng(seed);
  const block = randomBytes(16 << 20);
  let left = mb * 1_000_000;
  let n = 0;
  while (left > 0) {
    const folder = path.join(dir, `album-${String(Math.floor(n / 40)).padStart(4, '0')}`);
    fs.mkdirSync(folder, { recursive: true });
    // Mostly photo-sized files with a tail of large ones, like a real backup set.
    const size = Math.min(left, rng.chance(0.05) ? rng.int(50, 400) * 1_000_000 : rng.int(2, 14) * 1_000_000);
    const fd = fs.openSync(path.join(folder, `file-${n}.bin`), 'w');
    for (let written = 0; written < size; ) {
      const take = Math.min(block.length - (n % 1024), size - written);
      fs.writeSync(fd, block, n % 1024, take);
      written += take;
    }
    fs.closeSync(fd);
    left -= size;
    n++;
  }
  fs.writeFileSync(path.join(dir, '.complete'), String(n));
  return dir;
}

function dropCaches(): boolean {
  try {
    execFileSync('sync');
    fs.writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

function timeCat(dir: string): number {
  const started = performance.now();
  const r = spawnSync('sh', ['-c', `find "${dir}" -type f -name '*.bin' -print0 | xargs -0 cat > /dev/null`]);
  if (r.status !== 0) throw new Error(`cat failed: ${r.stderr.toString()}`);
  return (performance.now() - started) / 1000;
}

async function timeIndex(tree: string): Promise<Record<string, unknown>> {
  const dir = tempDir('index');
  try {
    return await runChild(PHASE, ['--tree', tree, '--dir', dir]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function indexBench(opts: { mb: number; seed: number }): Promise<Record<string, unknown>> {
  const tree = buildTree(opts.mb, opts.seed);
  const cold = dropCaches();
  if (!cold) log('cannot drop the page cache (needs root): cold figures are warm-cache figures');
  const catCold = timeCat(tree);
  dropCaches();
  const indexCold = await timeIndex(tree);
  const catWarm = timeCat(tree);
  const indexWarm = await timeIndex(tree);
  const indexColdS = (indexCold.ms as number) / 1000;
  const indexWarmS = (indexWarm.ms as number) / 1000;
  return {
    bench: 'index',
    mb: opts.mb,
    files: indexCold.files,
    cold_cache: cold,
    cat_s: round(catCold, 3),
    index_s: round(indexColdS, 3),
    ratio_vs_cat: round(indexColdS / catCold, 3),
    index_mb_per_s: round(opts.mb / indexColdS, 1),
    warm_cat_s: round(catWarm, 3),
    warm_index_s: round(indexWarmS, 3),
    warm_ratio_vs_cat: round(indexWarmS / catWarm, 3),
    peak_rss_mb: indexCold.peak_rss_mb,
  };
}
