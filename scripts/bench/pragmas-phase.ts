import { parseArgs } from 'node:util';
import { openStore } from '../../electron/db/open-store';
import { peakRssMb } from './bench-utils';
import { runQueryWorkload } from './query-workload';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    cache: { type: 'string' },
    mmap: { type: 'string' },
    samples: { type: 'string' },
    seed: { type: 'string' },
  },
});
const store = await openStore(values.dir as string, {
  sqlite: { tuning: { cacheMiB: Number(values.cache), mmapMiB: Number(values.mmap) } },
});
const r = await runQueryWorkload(store, Number(values.samples), Number(values.seed) + 3);
await store.close();
process.stdout.write(
  `${JSON.stringify({
    segments_p50_ms: r.segments_ms.p50,
    segments_p99_ms: r.segments_ms.p99,
    page_p50_ms: r.page_ms.p50,
    page_p99_ms: r.page_ms.p99,
    search_p50_ms: r.search_ms.p50,
    search_p95_ms: r.search_ms.p95,
    peak_rss_mb: peakRssMb(),
  })}\n`,
);
