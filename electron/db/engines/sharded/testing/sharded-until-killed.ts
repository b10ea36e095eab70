/**
 * Test helper process for the sharded tier's crash tests. `ingest <dir> <seed>` ingests
 * generated batches until killed, printing each committed batch; `reshard <dir> <shards>`
 * re-shards, printing progress. STRATA_CRASH_AFTER_SHARD_COMMIT=<n> makes the process kill
 * itself after the shards commit batch n and before the catalog does: the one window the
 * epoch protocol exists for, which random kills hit only by luck. STRATA_CRASH_BEFORE_SEARCH_COMMIT=<n>
 * kills it after the catalog committed batch n and before the search file did.
 */
import { generateCatalog } from '../../../../../scripts/generate/catalog-generator';
import { ShardedStore } from '../sharded-store';

const [mode, dir, arg] = process.argv.slice(2);
const store = await ShardedStore.open(dir as string, { shards: 3 });
if (mode === 'ingest') {
  const seed = Number(arg);
  const collection = (await store.findCollectionByName('Crash')) ?? (await store.createCollection({ name: 'Crash', source: 'nzb' }));
  await store.ingest(collection.id, generateCatalog({ segments: 50_000_000, seed, batchSegments: 5_000, pathPrefix: `run-${seed}` }), {
    onProgress: (p) => process.stdout.write(`committed ${p.batches} ${p.files} ${p.segments}\n`),
  });
} else if (mode === 'reshard') {
  await store.reshard(Number(arg), { onProgress: (p) => process.stdout.write(`reshard ${p.phase} ${p.rows} of ${p.totalRows}\n`) });
  process.stdout.write('reshard finished\n');
  await store.close();
}
