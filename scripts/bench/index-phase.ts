import { parseArgs } from 'node:util';
import { indexFolder } from '../../electron/db/ingest/folder/index-folder';
import { openStore } from '../../electron/db/open-store';
import { peakRssMb, round } from './bench-utils';

const { values } = parseArgs({ options: { tree: { type: 'string' }, dir: { type: 'string' } } });
const store = await openStore(values.dir as string);
const collection = await store.createCollection({ name: 'bench', source: 'local' });
const started = performance.now();
const r = await indexFolder(store, collection.id, values.tree as string);
const ms = performance.now() - started;
await store.close();
if (r.problems.length > 0) throw new Error(`indexing reported problems: ${JSON.stringify(r.problems.slice(0, 3))}`);
process.stdout.write(`${JSON.stringify({ ms: round(ms), files: r.added, bytes: r.bytesHashed, peak_rss_mb: peakRssMb() })}\n`);
