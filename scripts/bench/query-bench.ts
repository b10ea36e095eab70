/** `npm run bench -- query --engine sqlite|pglite|postgres --segments N [--url ...]`: browse and search latencies. */
import { openStore } from '../../electron/db/open-store';
import type { CatalogStore } from '../../electron/db/store';
import { openPgBenchCatalog } from './pg-bench-catalog';
import { benchCatalog } from './bench-catalog';
import { log } from './bench-utils';
import { latencyFields, runQueryWorkload } from './query-workload';

export async function queryBench(opts: {
  engine: string;
  segments: number;
  seed: number;
  samples: number;
  rebuild: boolean;
  url?: string;
}): Promise<Record<string, unknown>> {
  let store: CatalogStore;
  if (opts.engine === 'pglite' || opts.engine === 'postgres') {
    store = await openPgBenchCatalog(opts.engine, opts.url, opts.segments, opts.seed, opts.rebuild);
  } else if (opts.engine === 'sqlite') {
    store = await openStore(await benchCatalog(opts.segments, opts.seed, opts.rebuild));
  } else {
    throw new Error(`engine ${opts.engine} is not available`);
  }
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
      bytes_per_segment: Math.round((stats.dbBytes / stats.segments) * 10) / 10,
    };
  } finally {
    await store.close();
  }
}
