import { parseArgs } from 'node:util';
import { importNzbs } from '../../electron/db/ingest/nzb/nzb-import';
import { openStore } from '../../electron/db/open-store';
import { peakRssMb, round } from './bench-utils';

const { values } = parseArgs({ options: { nzb: { type: 'string' }, dir: { type: 'string' }, inline: { type: 'boolean', default: false } } });
const store = await openStore(values.dir as string);
const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
const started = performance.now();
const outcome = await importNzbs(store, collection.id, [values.nzb as string], { inline: values.inline });
const ms = performance.now() - started;
await store.close();
const failed = outcome.results.find((r) => r.status !== 'imported');
if (failed) throw new Error(`import failed: ${JSON.stringify(failed.error)}`);
process.stdout.write(
  `${JSON.stringify({ ms: round(ms), segments: outcome.segments, rows_per_s: round((outcome.segments / ms) * 1000), peak_rss_mb: peakRssMb() })}\n`,
);
