/**
 * `npm run bench -- pg-partitions --segments 10000000 --counts 1,4,8,16,32 [--url <superuser url>]`:
 * how the hash-partition count of `segments` changes ingest and queries on a server (the
 * portable server started for the run unless --url is given). Each count ingests the same
 * generated catalog into a fresh database and runs the query workload on it. The baselines come
 * from the same run: bare COPY of the same segment rows (ingest) and tier 1 on the same data
 * (queries). One JSON line per count on stdout as it finishes; the returned summary repeats them.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPartitions } from '../../electron/db/engines/postgres/pg-store';
import { log, round, runChild, tempDir } from './bench-utils';
import { benchServer } from './pg-bench-server';
import { againstTier1, measureTier1 } from './query-bench';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PHASE = path.join(HERE, 'pg-partitions-phase.ts');
const INGEST_PHASE = path.join(HERE, 'pg-ingest-phase.ts');

export interface PartitionsBenchOptions {
  segments: number;
  seed: number;
  samples: number;
  counts: number[];
  url?: string;
}

export async function pgPartitionsBench(opts: PartitionsBenchOptions): Promise<Record<string, unknown>> {
  for (const count of opts.counts) checkPartitions(count);
  const server = await benchServer(opts.url);
  try {
    const args = ['--segments', String(opts.segments), '--seed', String(opts.seed)];
    log(`baseline: bare COPY of ${opts.segments.toLocaleString()} segment rows…`);
    const scratch = tempDir('pg-partitions');
    const raw = await runChild(INGEST_PHASE, ['--mode', 'raw', '--engine', 'postgres', '--url', server.url, '--dir', scratch, ...args]);
    fs.rmSync(scratch, { recursive: true, force: true });
    log('baseline: tier 1 queries on the same data…');
    const tier1 = await measureTier1({ segments: opts.segments, seed: opts.seed, samples: opts.samples });
    const lines: Record<string, unknown>[] = [];
    for (const count of opts.counts) {
      log(`P=${count}: ingest and queries, ${opts.segments.toLocaleString()} segments… (load ${os.loadavg()[0]?.toFixed(2)})`);
      const loadBefore = os.loadavg()[0] as number;
      const r = await runChild(PHASE, ['--url', server.url, '--partitions', String(count), '--samples', String(opts.samples), ...args]);
      const line = {
        bench: 'pg-partitions',
        server: server.server,
        partitions: count,
        segments: opts.segments,
        ...r,
        raw_rows_per_s: raw.rows_per_s,
        ratio_vs_raw: round((r.rows_per_s as number) / (raw.rows_per_s as number), 3),
        ...againstTier1(pick(r, Object.keys(tier1)), tier1),
        load_avg: round((loadBefore + (os.loadavg()[0] as number)) / 2, 2),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
      lines.push(line);
    }
    return { bench: 'pg-partitions', segments: opts.segments, counts: opts.counts, raw_rows_per_s: raw.rows_per_s, tier1, runs: lines.length };
  } finally {
    await server.stop();
  }
}

function pick(from: Record<string, unknown>, keys: string[]): Record<string, number> {
  return Object.fromEntries(keys.map((k) => [k, from[k] as number]));
}
