/**
 * `npm run bench -- import-nzb --segments N`: imports one generated N-segment NZB into a new
 * tier-1 catalog through the importer (parse worker + store API), in its own process so its
 * peak memory is its own. `--inline` parses on the importing thread, for comparison.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeGeneratedNzb } from '../generate/nzb-file-generator';
import { log, round, runChild, tempDir } from './bench-utils';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-nzb-phase.ts');

export async function generatedNzb(segments: number, seed: number): Promise<string> {
  const file = path.resolve('.bench-cache', `generated-${segments}-${seed}.nzb`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    log(`writing a ${segments.toLocaleString()}-segment NZB to ${file} (cached)…`);
    await writeGeneratedNzb(`${file}.partial`, segments, seed);
    fs.renameSync(`${file}.partial`, file);
  }
  return file;
}

export async function importNzbBench(opts: { segments: number; seed: number; runs: number }): Promise<Record<string, unknown>> {
  const nzb = await generatedNzb(opts.segments, opts.seed);
  const runs: Record<string, unknown>[] = [];
  const inline: Record<string, unknown>[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    for (const mode of ['worker', 'inline'] as const) {
      const dir = tempDir('import');
      try {
        log(`run ${run}/${opts.runs}: import (${mode} parser)…`);
        const r = await runChild(PHASE, ['--nzb', nzb, '--dir', dir, ...(mode === 'inline' ? ['--inline'] : [])]);
        log(`  ${JSON.stringify(r)}`);
        (mode === 'worker' ? runs : inline).push(r);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const liveDir = tempDir('import-live');
  let live: Record<string, unknown>;
  try {
    log('memory run: live heap after collection at every batch…');
    live = await runChild(PHASE, ['--nzb', nzb, '--dir', liveDir, '--live-heap']);
  } finally {
    fs.rmSync(liveDir, { recursive: true, force: true });
  }
  const median = (xs: Record<string, unknown>[]): Record<string, unknown> =>
    [...xs].sort((a, b) => (a.rows_per_s as number) - (b.rows_per_s as number))[Math.floor(xs.length / 2)] as Record<string, unknown>;
  const m = median(runs);
  return {
    bench: 'import-nzb',
    segments: opts.segments,
    nzb_mb: round(fs.statSync(nzb).size / 1e6, 1),
    rows_per_s: m.rows_per_s,
    peak_rss_mb: m.peak_rss_mb,
    peak_heap_mb: m.peak_heap_mb,
    live_heap_mb: live.peak_heap_mb,
    inline_rows_per_s: median(inline).rows_per_s,
    runs: runs.map((r) => r.rows_per_s),
    inline_runs: inline.map((r) => r.rows_per_s),
  };
}
