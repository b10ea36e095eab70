/**
 * `npm run bench -- query --engine sqlite --segments N`: browse and search latencies.
 * `--engine sharded --shards 4`: the same workload on a sharded catalog of the same data, and
 * on the one-file catalog in the same run, with the ratios between them.
 * `--engine pglite`, or `--engine postgres [--url <superuser url>]`: a Postgres catalog (cached on
 * PGlite and on a given server; without --url, the portable server started for the run), and
 * tier 1 on the same data in the same run, with the ratios between them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../electron/db/open-store';
import { benchCatalog } from './bench-catalog';
import { openPgBenchCatalog } from './pg-bench-catalog';
import { benchServer } from './pg-bench-server';
import { log, round } from './bench-utils';
import { latencyFields, runQueryWorkload } from './query-workload';

/**
 * Reads every file of a catalog once, so both sides start with their files in the OS page
 * cache: a catalog built moments ago is cached and one built last week is not, which would
 * otherwise decide the comparison.
 */
function warmPageCache(dir: string): void {
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const fd = fs.openSync(path.join(entry.parentPath, entry.name), 'r');
    try {
      while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
    } finally {
      fs.closeSync(fd);
    }
  }
}

async function measure(engine: 'sqlite' | 'sharded', opts: { segments: number; seed: number; samples: number; rebuild: boolean; shards: number }) {
  const dir = await benchCatalog(opts.segments, opts.seed, opts.rebuild, { engine, shards: opts.shards });
  log(`${engine}: reading the catalog's files into the page cache…`);
  warmPageCache(dir);
  const store = await openStore(dir, { engine });
  try {
    log(`${engine}: warming up…`);
    await runQueryWorkload(store, Math.min(200, opts.samples), opts.seed + 1);
    log(`${engine}: measuring ${opts.samples} samples per query kind…`);
    const r = await runQueryWorkload(store, opts.samples, opts.seed + 2);
    const stats = await store.stats();
    return { latencies: latencyFields(r), stats };
  } finally {
    await store.close();
  }
}

/** Tier 1's latencies on the generated catalog of this size and seed (cached, page cache warmed). */
export async function measureTier1(opts: { segments: number; seed: number; samples: number }): Promise<Record<string, number>> {
  return (await measure('sqlite', { ...opts, rebuild: false, shards: 1 })).latencies;
}

export async function queryBench(opts: {
  engine: string;
  shards: number;
  segments: number;
  seed: number;
  samples: number;
  rebuild: boolean;
  url?: string;
}): Promise<Record<string, unknown>> {
  if (opts.engine === 'pglite' || opts.engine === 'postgres') {
    const server = opts.engine === 'postgres' ? await benchServer(opts.url) : null;
    try {
      const store = await openPgBenchCatalog(opts.engine, server?.url, opts.segments, opts.seed, opts.rebuild);
      let result: Record<string, unknown>;
      let latencies: Record<string, number>;
      try {
        log('warming up…');
        await runQueryWorkload(store, Math.min(200, opts.samples), opts.seed + 1);
        log(`measuring ${opts.samples} samples per query kind…`);
        latencies = latencyFields(await runQueryWorkload(store, opts.samples, opts.seed + 2));
        const stats = await store.stats();
        result = {
          bench: 'query',
          engine: opts.engine,
          ...(server ? { server: server.server } : {}),
          segments: stats.segments,
          files: stats.files,
          ...latencies,
          bytes_per_segment: round(stats.dbBytes / stats.segments, 1),
        };
      } finally {
        await store.close();
      }
      // Tier 1 on the same generated data in the same run: the baseline of the "within 2x" target.
      const single = await measure('sqlite', opts);
      return { ...result, ...againstTier1(latencies, single.latencies) };
    } finally {
      await server?.stop();
    }
  }
  if (opts.engine !== 'sqlite' && opts.engine !== 'sharded') throw new Error(`engine ${opts.engine} is not available in this benchmark`);
  const measured = await measure(opts.engine, opts);
  const result: Record<string, unknown> = {
    bench: 'query',
    engine: opts.engine,
    ...(opts.engine === 'sharded' ? { shards: opts.shards } : {}),
    segments: measured.stats.segments,
    files: measured.stats.files,
    ...measured.latencies,
    bytes_per_segment: round(measured.stats.dbBytes / measured.stats.segments, 1),
  };
  if (opts.engine === 'sharded') {
    const single = await measure('sqlite', opts);
    Object.assign(result, againstTier1(measured.latencies, single.latencies));
  }
  return result;
}

/** Tier 1's figures as `single_*` and the measured engine's ratios to them as `ratio_*`. */
export function againstTier1(measured: Record<string, number>, single: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(single)) {
    out[`single_${key}`] = value;
    out[`ratio_${key}`] = round((measured[key] as number) / value, 2);
  }
  return out;
}
