/**
 * `npm run bench -- nzb-memory [--segments N] [--engine sqlite|sharded|pglite]`: the peak
 * memory of importing an NZB whose one file has N segments (default 2,000,000, about 140 MB)
 * into a new catalog of that engine, in a child process so the peak is the import's own. The
 * baseline, measured in the same run, is a child importing the same shape with a tenth of the
 * segments (at least 20,000): `ratio` says how the peak grows with the size of one file (1.0
 * is bounded; the target for ten times the segments is at most 1.5).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHugeFileNzb } from '../../electron/db/ingest/nzb/huge-file-nzb';
import { log, round, runChild, tempDir } from './bench-utils';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-nzb-phase.ts');
async function importPeak(nzb: string, engine: string): Promise<Record<string, unknown>> {
  const dir = tempDir('nzb-memory');
  try {
    return await runChild(PHASE, ['--nzb', nzb, '--dir', dir, '--engine', engine]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function nzbMemoryBench(opts: { segments: number; runs: number; engine: 'sqlite' | 'sharded' | 'pglite' }): Promise<Record<string, unknown>> {
  const work = tempDir('nzb-memory-files');
  const BASELINE_SEGMENTS = Math.max(20_000, Math.round(opts.segments / 10));
  try {
    const big = path.join(work, `one-file-${opts.segments}.nzb`);
    const small = path.join(work, `one-file-${BASELINE_SEGMENTS}.nzb`);
    log(`writing an NZB with one ${opts.segments.toLocaleString()}-segment file…`);
    await writeHugeFileNzb(big, opts.segments);
    await writeHugeFileNzb(small, BASELINE_SEGMENTS);
    const runs: { peak: number; baseline: number; ms: number; baselineMs: number }[] = [];
    for (let run = 1; run <= opts.runs; run++) {
      const baseline = await importPeak(small, opts.engine);
      const r = await importPeak(big, opts.engine);
      if (r.segments !== opts.segments) throw new Error(`the import kept ${String(r.segments)} of ${opts.segments} segments`);
      log(`run ${run}/${opts.runs}: ${JSON.stringify({ big: r, baseline })}`);
      runs.push({ peak: r.peak_rss_mb as number, baseline: baseline.peak_rss_mb as number, ms: r.ms as number, baselineMs: baseline.ms as number });
    }
    const sorted = [...runs].sort((a, b) => a.peak - b.peak);
    const median = sorted[Math.floor(sorted.length / 2)] as (typeof runs)[number];
    return {
      bench: 'nzb-memory',
      engine: opts.engine,
      segments: opts.segments,
      nzb_mb: round(fs.statSync(big).size / 1e6, 1),
      peak_rss_mb: median.peak,
      baseline_segments: BASELINE_SEGMENTS,
      baseline_peak_rss_mb: median.baseline,
      ratio: round(median.peak / median.baseline, 2),
      import_ms: median.ms,
      baseline_import_ms: median.baselineMs,
      load_average: os.loadavg().map((l) => round(l, 1)),
      runs: runs.map((r) => r.peak),
      baseline_runs: runs.map((r) => r.baseline),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
