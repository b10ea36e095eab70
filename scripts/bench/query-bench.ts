/**
 * `npm run bench -- query --engine sqlite --segments N`: browse and search latencies.
 * `--engine sharded --shards 4`: the same workload on a sharded catalog of the same data, and
 * on the one-file catalog in the same run, with the ratios between them.
 * `--engine pglite`, or `--engine postgres --url <superuser url>`: a cached Postgres catalog.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../electron/db/open-store';
import { benchCatalog } from './bench-catalog';
import { openPgBenchCatalog } from './pg-bench-catalog';
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
    const store = await openPgBenchCatalog(opts.engine, opts.url, opts.segments, opts.seed, opts.rebuild);
    try {
      log('warming up…');
      await runQueryWorkload(store, Math.min(200, opts.samples), opts.seed + 1);
      log(`measuring ${opts.samples} samples per query kind…`);
      const r = await runQueryWorkload(store, opts.samples, opts.seed + 2);
      const stats = await store.stats();
      return {
        bench: 'query',
        engine: opts.engine,
        segments: stats.segments,
        files: stats.files,
        ...latencyFields(r),
        bytes_per_segment: round(stats.dbBytes / stats.segments, 1),
      };
    } finally {
      await store.close();
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
    for (const [key, value] of Object.entries(single.latencies)) {
      result[`single_${key}`] = value;
      result[`ratio_${key}`] = round((measured.latencies[key] as number) / value, 2);
    }
  }
  return result;
}
