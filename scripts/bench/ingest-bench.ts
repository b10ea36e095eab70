/** `npm run bench -- ingest --engine sqlite --segments N`: the store API against a bare loop. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { log, round, runChild, tempDir } from './bench-utils';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ingest-phase.ts');

export async function ingestBench(opts: { engine: string; segments: number; seed: number; keep: boolean }): Promise<Record<string, unknown>> {
  if (opts.engine !== 'sqlite') throw new Error(`engine ${opts.engine} is not available yet`);
  const dir = tempDir('ingest');
  try {
    const args = ['--segments', String(opts.segments), '--seed', String(opts.seed), '--dir', dir];
    log(`raw better-sqlite3 loop, ${opts.segments.toLocaleString()} segments…`);
    const raw = await runChild(PHASE, ['--mode', 'raw', ...args]);
    log(`store API (${opts.engine}), ${opts.segments.toLocaleString()} segments…`);
    const api = await runChild(PHASE, ['--mode', 'api', ...args]);
    const apiRate = api.rows_per_s as number;
    const rawRate = raw.rows_per_s as number;
    return {
      bench: 'ingest',
      engine: opts.engine,
      segments: opts.segments,
      rows_per_s: apiRate,
      raw_rows_per_s: rawRate,
      ratio_vs_raw: round(apiRate / rawRate, 3),
      peak_rss_mb: api.peak_rss_mb,
      raw_peak_rss_mb: raw.peak_rss_mb,
      bytes_per_segment: round((api.db_bytes as number) / opts.segments, 1),
      raw_bytes_per_segment: round((raw.db_bytes as number) / opts.segments, 1),
      api_ms: api.ms,
      raw_ms: raw.ms,
      generating_ms: api.generating_ms,
    };
  } finally {
    if (!opts.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
