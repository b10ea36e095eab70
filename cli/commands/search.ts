import { invalidArgument } from '../../shared/errors';
import { formatBytes } from '../cli-output';
import type { Command } from '../command';
import { requireCollection } from '../collection-lookup';

export const searchCommand: Command = {
  name: 'search',
  summary: 'Full-text search over file names, paths and subjects',
  usage: 'strata search <query> [--collection <name>] [--limit N] [--offset N] [--json]',
  description:
    'Searches file names, folder paths and subjects with the full-text index, best matches first; every word must match. The output says which hits it shows and how many matched, and the --offset of the next page.',
  examples: [
    { command: 'strata search ubuntu iso', does: 'files whose name, path or subject has both words' },
    { command: 'strata search flac --collection Music --limit 50 --offset 50 --json', does: 'the second page of 50 in Music, as JSON' },
  ],
  options: {
    collection: { type: 'string', value: 'name', description: 'search one collection', defaultText: 'every collection' },
    limit: { type: 'string', value: 'N', default: '20', description: 'hits per page (at most 500)' },
    offset: { type: 'string', value: 'N', default: '0', description: 'hits to skip, for the next page' },
  },
  dataFolder: 'existing',
  async run(ctx) {
    const query = ctx.positionals.join(' ');
    if (!query.trim()) throw invalidArgument('Say what to search for: strata search <query>.');
    const { api, close } = await ctx.connect();
    try {
      const collectionId = typeof ctx.values.collection === 'string' ? (await requireCollection(api, ctx.values.collection)).id : null;
      const page = await api['search/query']({
        query,
        collectionId,
        limit: Number(ctx.values.limit),
        offset: Number(ctx.values.offset),
      });
      // The stores fetch one row past the page, so they know whether more match but not how
      // many: a count is exact only on the last page, otherwise a lower bound.
      const offset = Number(ctx.values.offset);
      const last = page.nextOffset === null;
      const atLeast = offset + page.hits.length + (last ? 0 : 1);
      const shown = page.hits.length === 0 ? '' : `showing ${offset + 1}-${offset + page.hits.length} of ${last ? atLeast : `at least ${atLeast}`}`;
      ctx.output.result(
        {
          query,
          hits: page.hits.map((h) => ({ score: Math.round(h.score * 1000) / 1000, ...h.file })),
          next_offset: page.nextOffset,
          total: last && page.hits.length > 0 ? atLeast : null,
          total_at_least: page.hits.length === 0 ? 0 : atLeast,
        },
        () =>
          page.hits.length === 0
            ? offset > 0 ? `No more matches from --offset ${offset}.` : 'No files match.'
            : page.hits.map((h) => `${h.file.relPath}  (${formatBytes(h.file.size)}, ${h.file.state})`).join('\n') +
              `\n${shown}${last ? '.' : `; more with --offset ${page.nextOffset}`}`,
      );
    } finally {
      await close();
    }
  },
};
