import { invalidArgument } from '../../shared/errors';
import { formatCount } from '../cli-output';
import type { Command } from '../command';

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Fill a collection with a realistic generated catalog (for trials and benchmarks)',
  usage: 'strata generate --segments N [--collection <name>] [--seed S] [--source nzb|local] [--json]',
  description:
    'Writes realistic made-up folders, files and segments straight into the catalog, for trying the app and for benchmarks. It needs the data folder to itself: it is refused while the app or strata serve runs on it.',
  examples: [
    { command: 'strata generate --segments 1_000_000 --collection Trial', does: 'a million segments in a collection named Trial' },
    { command: 'strata generate --segments 20000 --engine sharded --shards 3 --data /tmp/strata-trial --json', does: 'a small sharded catalog in a scratch folder' },
  ],
  options: {
    segments: { type: 'string', value: 'N', required: true, description: 'how many segments to generate (underscores allowed: 1_000_000)' },
    collection: { type: 'string', value: 'name', default: 'Generated', description: 'the collection to fill (created if absent; a second run adds beside the first)' },
    seed: { type: 'string', value: 'S', default: '1', description: 'the random seed: the same seed gives the same catalog' },
    source: { type: 'string', value: 'nzb|local', default: 'nzb', description: 'shape the data like imported NZBs or an indexed folder' },
  },
  dataFolder: 'creates',
  async run(ctx) {
    const segments = Number(String(ctx.values.segments ?? '').replace(/_/gu, ''));
    if (!Number.isSafeInteger(segments) || segments < 1) {
      throw invalidArgument('Say how many segments to generate: --segments N (a whole number from 1).');
    }
    const seed = Number(ctx.values.seed);
    if (!Number.isSafeInteger(seed)) throw invalidArgument('--seed must be a whole number.');
    const source = ctx.values.source;
    if (source !== 'nzb' && source !== 'local') throw invalidArgument('--source is nzb or local.');
    const name = String(ctx.values.collection);
    // Generation writes through the store directly (no channel carries it), so it needs the
    // folder to itself.
    const { generateCatalog } = await import('../../scripts/generate/catalog-generator');
    const { manager, close } = await ctx.ownCatalog();
    try {
      const { collection, result } = await manager.write('generate a catalog', async (store) => {
        const found = (await store.findCollectionByName(name)) ?? (await store.createCollection({ name, source }));
        // A second run into the same collection gets its own top folder instead of colliding.
        const pathPrefix = found.fileCount > 0 ? `Run ${found.fileCount + 1}` : undefined;
        const ingested = await store.ingest(found.id, generateCatalog({ segments, seed, source, ...(pathPrefix ? { pathPrefix } : {}) }), {
          onProgress: (p) =>
            ctx.progress(
              { phase: 'ingest', files: p.files, segments: p.segments, total: segments, elapsed_ms: Math.round(p.elapsedMs) },
              `${formatCount(p.segments)} / ${formatCount(segments)} segments`,
              p.segments / segments,
            ),
        });
        return { collection: found, result: ingested };
      });
      const rate = Math.round(result.segments / (result.elapsedMs / 1000));
      ctx.output.result(
        {
          collection: collection.name,
          collection_id: collection.id,
          files: result.files,
          segments: result.segments,
          bytes: result.bytes,
          elapsed_ms: Math.round(result.elapsedMs),
          segments_per_s: rate,
        },
        () => `Added ${formatCount(result.files)} files and ${formatCount(result.segments)} segments to "${collection.name}" (${formatCount(rate)} segments/s).`,
      );
    } finally {
      await close();
    }
  },
};
