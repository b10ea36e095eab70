/**
 * `npm run bench -- ingest --engine sqlite --segments N`: the store API against a bare loop.
 * `npm run bench -- ingest --engine sharded --shards 4 --segments N`: the sharded tier against
 * the one-file tier (ratio_vs_single), both through the store API on the same generated data.
 * `npm run bench -- ingest --engine pglite|postgres [--url <superuser url>] [--partitions P] --segments N`:
 * the Postgres store API against plain COPY into an unindexed table (pg-ingest-phase.ts); without
 * --url, on the portable server started for the run (pg-bench-server.ts).
 * `npm run bench -- ingest --engine pglite --fsync-compare --segments N`: the PGlite store API
 * with PGlite's default start options (fsync off) against Strata's durable ones, alternately.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, round, runChild, tempDir } from './bench-utils';
import { benchServer } from './pg-bench-server';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ingest-phase.ts');
const PG_PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pg-ingest-phase.ts');

type Phase = Record<string, unknown>;

/** The run with the median rate: on a shared 2-core machine single runs vary by ±20%. */
function median(runs: Phase[]): Phase {
  const sorted = [...runs].sort((a, b) => (a.rows_per_s as number) - (b.rows_per_s as number));
  return sorted[Math.floor(sorted.length / 2)] as Phase;
}

interface Side {
  label: string;
  args: string[];
}

/** Runs the two sides alternately, so a slow spell of the machine hits both alike. */
async function alternate(
  opts: { segments: number; seed: number; keep: boolean; runs: number },
  base: Side,
  measured: Side,
  phase = PHASE,
): Promise<[Phase[], Phase[]]> {
  const bases: Phase[] = [];
  const measures: Phase[] = [];
  for (let run = 1; run <= opts.runs; run++) {
    for (const [side, into] of [
      [base, bases],
      [measured, measures],
    ] as const) {
      const dir = tempDir('ingest');
      try {
        log(`run ${run}/${opts.runs}: ${side.label}, ${opts.segments.toLocaleString()} segments…`);
        into.push(await runChild(phase, [...side.args, '--segments', String(opts.segments), '--seed', String(opts.seed), '--dir', dir]));
        log(`  ${side.label}: ${String(into.at(-1)?.rows_per_s)} rows/s`);
      } finally {
        if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  return [bases, measures];
}

export async function ingestBench(opts: {
  engine: string;
  shards: number;
  segments: number;
  seed: number;
  keep: boolean;
  runs: number;
  url?: string;
  partitions?: number;
  fsyncCompare?: boolean;
}): Promise<Record<string, unknown>> {
  if (opts.engine === 'pglite' || opts.engine === 'postgres') return pgIngestBench(opts);
  if (opts.engine === 'sharded') {
    const [singles, shardeds] = await alternate(
      opts,
      { label: 'one SQLite file (store API)', args: ['--mode', 'api', '--engine', 'sqlite'] },
      { label: `sharded, ${opts.shards} shards (store API)`, args: ['--mode', 'api', '--engine', 'sharded', '--shards', String(opts.shards)] },
    );
    const single = median(singles);
    const sharded = median(shardeds);
    return {
      bench: 'ingest',
      engine: 'sharded',
      shards: opts.shards,
      segments: opts.segments,
      rows_per_s: sharded.rows_per_s,
      single_rows_per_s: single.rows_per_s,
      ratio_vs_single: round((sharded.rows_per_s as number) / (single.rows_per_s as number), 3),
      peak_rss_mb: sharded.peak_rss_mb,
      single_peak_rss_mb: single.peak_rss_mb,
      bytes_per_segment: round((sharded.db_bytes as number) / opts.segments, 1),
      single_bytes_per_segment: round((single.db_bytes as number) / opts.segments, 1),
      ms: sharded.ms,
      single_ms: single.ms,
      // CPU time of the catalog thread (sharded) and of the one thread (single), and of every
      // thread: what bounds the ratio when a core is free, measured the same on a busy machine.
      catalog_thread_cpu_ms: sharded.main_thread_cpu_ms,
      single_thread_cpu_ms: single.main_thread_cpu_ms,
      process_cpu_ms: sharded.process_cpu_ms,
      single_process_cpu_ms: single.process_cpu_ms,
      runs: opts.runs,
      rows_per_s_runs: shardeds.map((r) => r.rows_per_s),
      single_rows_per_s_runs: singles.map((r) => r.rows_per_s),
    };
  }
  if (opts.engine !== 'sqlite') throw new Error(`engine ${opts.engine} is not available in this benchmark`);
  const [raws, apis] = await alternate(
    opts,
    { label: 'raw better-sqlite3 loop', args: ['--mode', 'raw'] },
    { label: 'store API (sqlite)', args: ['--mode', 'api', '--engine', 'sqlite'] },
  );
  const raw = median(raws);
  const api = median(apis);
  return {
    bench: 'ingest',
    engine: opts.engine,
    segments: opts.segments,
    rows_per_s: api.rows_per_s,
    raw_rows_per_s: raw.rows_per_s,
    ratio_vs_raw: round((api.rows_per_s as number) / (raw.rows_per_s as number), 3),
    peak_rss_mb: api.peak_rss_mb,
    raw_peak_rss_mb: raw.peak_rss_mb,
    peak_heap_mb: api.peak_heap_mb,
    bytes_per_segment: round((api.db_bytes as number) / opts.segments, 1),
    raw_bytes_per_segment: round((raw.db_bytes as number) / opts.segments, 1),
    api_ms: api.ms,
    raw_ms: raw.ms,
    generating_ms: api.generating_ms,
    runs: opts.runs,
    api_rows_per_s_runs: apis.map((r) => r.rows_per_s),
    raw_rows_per_s_runs: raws.map((r) => r.rows_per_s),
  };
}

/** The Postgres store API (PGlite or a server) against plain COPY into an unindexed table. */
async function pgIngestBench(opts: {
  engine: string;
  segments: number;
  seed: number;
  keep: boolean;
  runs: number;
  url?: string;
  partitions?: number;
  fsyncCompare?: boolean;
}): Promise<Record<string, unknown>> {
  if (opts.fsyncCompare) return pgliteFsyncBench(opts);
  const server = opts.engine === 'postgres' ? await benchServer(opts.url) : null;
  const target = ['--engine', opts.engine, ...(server ? ['--url', server.url] : []), ...(opts.partitions ? ['--partitions', String(opts.partitions)] : [])];
  let raws: Phase[];
  let apis: Phase[];
  try {
    [raws, apis] = await alternate(
      opts,
      { label: 'raw COPY loop', args: ['--mode', 'raw', ...target] },
      { label: `store API (${opts.engine})`, args: ['--mode', 'api', ...target] },
      PG_PHASE,
    );
  } finally {
    await server?.stop();
  }
  const raw = median(raws);
  const api = median(apis);
  return {
    bench: 'ingest',
    engine: opts.engine,
    ...(server ? { server: server.server } : {}),
    partitions: opts.partitions ?? 'default',
    segments: opts.segments,
    rows_per_s: api.rows_per_s,
    raw_rows_per_s: raw.rows_per_s,
    ratio_vs_raw: round((api.rows_per_s as number) / (raw.rows_per_s as number), 3),
    peak_rss_mb: api.peak_rss_mb,
    raw_peak_rss_mb: raw.peak_rss_mb,
    // The process with the generated input held, before the database opened (pg-ingest-phase.ts).
    input_rss_mb: api.input_rss_mb,
    peak_heap_mb: api.peak_heap_mb,
    bytes_per_segment: round((api.db_bytes as number) / opts.segments, 1),
    raw_bytes_per_segment: round((raw.db_bytes as number) / opts.segments, 1),
    api_ms: api.ms,
    raw_ms: raw.ms,
    generating_ms: api.generating_ms,
    runs: opts.runs,
    api_rows_per_s_runs: apis.map((r) => r.rows_per_s),
    raw_rows_per_s_runs: raws.map((r) => r.rows_per_s),
  };
}

/** What durability costs PGlite's ingest: the same store API run with fsync off (before) and on. */
async function pgliteFsyncBench(opts: { engine: string; segments: number; seed: number; keep: boolean; runs: number }): Promise<Record<string, unknown>> {
  if (opts.engine !== 'pglite') throw new Error('--fsync-compare measures the pglite engine.');
  const [offs, ons] = await alternate(
    opts,
    { label: 'store API (pglite, fsync off: PGlite defaults)', args: ['--mode', 'api', '--engine', 'pglite', '--fsync', 'off'] },
    { label: 'store API (pglite, fsync on: Strata)', args: ['--mode', 'api', '--engine', 'pglite', '--fsync', 'on'] },
    PG_PHASE,
  );
  const off = median(offs);
  const on = median(ons);
  return {
    bench: 'ingest-fsync',
    engine: 'pglite',
    segments: opts.segments,
    runs: opts.runs,
    fsync_off_rows_per_s: off.rows_per_s,
    fsync_on_rows_per_s: on.rows_per_s,
    ratio_on_vs_off: round((on.rows_per_s as number) / (off.rows_per_s as number), 3),
    fsync_off_ms: off.ms,
    fsync_on_ms: on.ms,
    all_off_rows_per_s: offs.map((r) => r.rows_per_s),
    all_on_rows_per_s: ons.map((r) => r.rows_per_s),
  };
}
