/** `npm run bench -- query --engine sqlite --segments N`: browse and search latencies. */
import { openStore } from '../../electron/db/open-store';
import { benchCatalog } from './bench-catalog';
import { log } from './bench-utils';
import { latencyFields, runQueryWorkload } from './query-workload';

export async function queryBench(opts: {
  engine: string;
  segments: number;
  seed: number;
  samples: number;
  rebuild: boolean;
}): Promise<Record<string, unknown>> {
  if (opts.engine !== 'sqlite') throw new Error(`engine ${opts.engine} is not available yet`);
  const dir = await benchCatalog(opts.segments, opts.seed, opts.rebuild);
  const store = await openStore(dir);
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
