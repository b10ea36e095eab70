import { parseArgs } from 'node:util';
import { importNzbs } from '../../electron/db/ingest/nzb/nzb-import';
import { openStore } from '../../electron/db/open-store';
import { peakRssMb, round } from './bench-utils';

const { values } = parseArgs({
  options: {
    nzb: { type: 'string' },
    dir: { type: 'string' },
    engine: { type: 'string', default: 'sqlite' },
    // SQLite's memory map of the catalog counts into RSS as the file grows (up to the tuning's
    // 256 MiB); 0 turns it off, to tell the catalog's pages from the importer's own memory.
    'sqlite-mmap-mib': { type: 'string' },
    'max-file-segments': { type: 'string' },
    inline: { type: 'boolean', default: false },
    'live-heap': { type: 'boolean', default: false },
  },
});
// --live-heap collects garbage before each sample, so the figure is what the import holds,
// not what V8 has yet to collect; it slows the run, so its rate is not reported.
const gc = (globalThis as { gc?: () => void }).gc;
const sample = (): number => {
  if (values['live-heap']) gc?.();
  return process.memoryUsage().heapUsed;
};
const engine = values.engine === 'pglite' || values.engine === 'sharded' ? values.engine : 'sqlite';
const mmap = values['sqlite-mmap-mib'];
const store = await openStore(values.dir as string, { engine, ...(mmap === undefined ? {} : { sqlite: { tuning: { mmapMiB: Number(mmap) } } }) });
const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
let peakHeap = 0;
const sampler = setInterval(() => (peakHeap = Math.max(peakHeap, values['live-heap'] ? 0 : sample())), 100);
const started = performance.now();
const outcome = await importNzbs(store, collection.id, [values.nzb as string], {
  inline: values.inline,
  ...(values['max-file-segments'] === undefined ? {} : { maxFileSegments: Number(values['max-file-segments']) }),
  onProgress: () => (peakHeap = Math.max(peakHeap, sample())),
});
const ms = performance.now() - started;
clearInterval(sampler);
await store.close();
const failed = outcome.results.find((r) => r.status !== 'imported');
if (failed) throw new Error(`import failed: ${JSON.stringify(failed.error)}`);
process.stdout.write(
  `${JSON.stringify({ ms: round(ms), segments: outcome.segments, rows_per_s: round((outcome.segments / ms) * 1000), peak_rss_mb: peakRssMb(), peak_heap_mb: round(peakHeap / 1048576, 1) })}\n`,
);
