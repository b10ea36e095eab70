/**
 * Test helper process: ingests generated batches forever into the catalog named on the
 * command line, printing each committed batch, until the test kills it mid-write.
 */
import { generateCatalog } from '../../../../../scripts/generate/catalog-generator';
import { SqliteStore } from '../sqlite-store';

const [file, seed] = process.argv.slice(2);
const store = await SqliteStore.open(file as string);
const collection = (await store.findCollectionByName('Crash')) ?? (await store.createCollection({ name: 'Crash', source: 'nzb' }));
await store.ingest(collection.id, generateCatalog({ segments: 50_000_000, seed: Number(seed), batchSegments: 5_000, pathPrefix: `run-${seed}` }), {
  onProgress: (p) => process.stdout.write(`committed ${p.batches} ${p.files} ${p.segments}\n`),
});
