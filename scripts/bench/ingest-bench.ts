/**
 * `npm run bench -- ingest --engine sqlite|pglite|postgres --segments N [--url <superuser url>] [--partitions P]`:
 * the store API against a bare loop (SQLite: prepared inserts; Postgres: plain COPY).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, round, runChild, tempDir } from './bench-utils';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PHASE = path.join(HERE, 'ingest-phase.ts');
const PG_PHASE = path.join(HERE, 'pg-ingest-phase.ts');

type Phase = Record<string, unknown>;

/** The run with the median rate: on a shared 2-core machine single runs vary by ±20%. */
function median(runs: Phase[]): Phase {
  const sorted = [...runs].sort((a, b) => (a.rows_per_s as number) - (b.rows_per_s as number));
  return sorted[Math.floor(sorted.length / 2)] as Phase;
}

export async function ingestBench(opts: {
  engine: string;
  segments: number;
  seed: number;
  keep: boolean;
  runs: number;
  url?: string;
  partitions?: number;
}): Promise<Record<string, unknown>> {
  const pgEngine = opts.engine === 'pglite' || opts.engine === 'postgres';
  if (!pgEngine && opts.engine !== 'sqlite') throw new Error(`engine ${opts.engine} is not available`);
  if (opts.engine === 'postgres' && !opts.url) throw new Error('--engine postgres needs --url <superuser connection string>');
  const phase = pgEngine ? PG_PHASE : PHASE;
  const extra = pgEngine
    ? ['--engine', opts.engine, ...(opts.url ? ['--url', opts.url] : []), ...(opts.partitions ? ['--partitions', String(opts.partitions)] : [])]
    : [];
  const raws: Phase[] = [];
  const apis: Phase[] = [];
  // Raw and API runs alternate, so a slow spell of the machine hits both sides alike.
  for (let run = 1; run <= opts.runs; run++) {
    const dir = tempDir('ingest');
    try {
      const args = ['--segments', String(opts.segments), '--seed', String(opts.seed), '--dir', dir, ...extra];
      log(`run ${run}/${opts.runs}: raw ${pgEngine ? 'COPY' : 'better-sqlite3'} loop, ${opts.segments.toLocaleString()} segments…`);
      raws.push(await runChild(phase, ['--mode', 'raw', ...args]));
      log(`run ${run}/${opts.runs}: store API (${opts.engine}), ${opts.segments.toLocaleString()} segments…`);
      apis.push(await runChild(phase, ['--mode', 'api', ...args]));
      log(`  raw ${String(raws.at(-1)?.rows_per_s)} rows/s, api ${String(apis.at(-1)?.rows_per_s)} rows/s`);
    } finally {
      if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const raw = median(raws);
  const api = median(apis);
  {
    const apiRate = api.rows_per_s as number;
    const rawRate = raw.rows_per_s as number;
    return {
      bench: 'ingest',
      engine: opts.engine,
      ...(pgEngine ? { partitions: opts.partitions ?? 'default' } : {}),
      segments: opts.segments,
      rows_per_s: apiRate,
      raw_rows_per_s: rawRate,
      ratio_vs_raw: round(apiRate / rawRate, 3),
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
}
