import { parseArgs } from 'node:util';
import { openStore } from '../../electron/db/open-store';
import { peakRssMb } from './bench-utils';
import { latencyFields, runQueryWorkload } from './query-workload';

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
    ...latencyFields(r),
    peak_rss_mb: peakRssMb(),
  })}\n`,
);
