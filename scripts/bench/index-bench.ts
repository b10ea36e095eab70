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

export async function indexBench(opts: { mb: number; seed: number; runs: number }): Promise<Record<string, unknown>> {
  const tree = buildTree(opts.mb, opts.seed);
  const cold = dropCaches();
  if (!cold) log('cannot drop the page cache (needs root): cold figures are warm-cache figures');
  // cat and the indexer alternate, each from a dropped cache, so a slow spell of the shared
  // disk hits both; the run with the median ratio is reported.
  const runs: { cat: number; index: number; files: unknown; rss: unknown }[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    dropCaches();
    const cat = timeCat(tree);
    dropCaches();
    const indexed = await timeIndex(tree);
    runs.push({ cat, index: (indexed.ms as number) / 1000, files: indexed.files, rss: indexed.peak_rss_mb });
    log(`run ${run}: cat ${cat.toFixed(3)} s, index ${((indexed.ms as number) / 1000).toFixed(3)} s`);
  }
  const catWarm = timeCat(tree);
  const indexWarm = ((await timeIndex(tree)).ms as number) / 1000;
  const sorted = [...runs].sort((a, b) => a.index / a.cat - b.index / b.cat);
  const m = sorted[Math.floor(sorted.length / 2)] as (typeof runs)[number];
  return {
    bench: 'index',
    mb: opts.mb,
    files: m.files,
    cold_cache: cold,
    cat_s: round(m.cat, 3),
    index_s: round(m.index, 3),
    ratio_vs_cat: round(m.index / m.cat, 3),
    index_mb_per_s: round(opts.mb / m.index, 1),
    ratio_runs: runs.map((r) => round(r.index / r.cat, 3)),
    warm_cat_s: round(catWarm, 3),
    warm_index_s: round(indexWarm, 3),
    warm_ratio_vs_cat: round(indexWarm / catWarm, 3),
    peak_rss_mb: m.rss,
  };
}
