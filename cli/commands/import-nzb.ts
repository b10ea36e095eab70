import { invalidArgument } from '../../shared/errors';
import { importNzbs } from '../../electron/db/ingest/nzb/nzb-import';
import { formatCount } from '../cli-output';
import type { Command } from '../command';

export const importNzbCommand: Command = {
  name: 'import-nzb',
  summary: 'Import NZB files (or folders of them) into a collection',
  usage: 'strata import-nzb <files|dirs...> --collection <name> [--json]',
  options: { collection: { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw invalidArgument('Name the NZB files or folders to import.');
    const name = typeof ctx.values.collection === 'string' ? ctx.values.collection : null;
    if (!name) throw invalidArgument('Say which collection to import into: --collection <name> (created if absent).');
    const store = await ctx.openStore();
    try {
      const collection = (await store.findCollectionByName(name)) ?? (await store.createCollection({ name, source: 'nzb' }));
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const outcome = await importNzbs(store, collection.id, ctx.positionals, {
        signal: controller.signal,
        onProgress: (p) =>
          ctx.progress(
            { phase: 'import', nzbs_done: p.nzbsDone, nzbs_total: p.nzbsTotal, files: p.files, segments: p.segments, bytes: p.bytes, segments_per_s: p.segmentsPerSecond },
            `${p.nzbsDone}/${p.nzbsTotal} NZBs, ${formatCount(p.segments)} segments (${formatCount(p.segmentsPerSecond)}/s)`,
          ),
      }).finally(() => process.off('SIGINT', stop));
      ctx.output.result(
        {
          collection: collection.name,
          imported: outcome.imported,
          duplicates: outcome.duplicates,
          failed: outcome.failed,
          files: outcome.files,
          segments: outcome.segments,
          bytes: outcome.bytes,
          elapsed_ms: Math.round(outcome.elapsedMs),
          results: outcome.results,
        },
        () =>
          [
            ...outcome.results.map((r) =>
              r.status === 'imported'
                ? `imported  ${r.file} -> ${r.folder} (${formatCount(r.files)} files, ${formatCount(r.segments)} segments)`
                : r.status === 'duplicate'
                  ? `already in the collection  ${r.file}`
                  : `${r.status}  ${r.file}: ${r.error?.message ?? ''}`,
            ),
            `${outcome.imported} imported, ${outcome.duplicates} already there, ${outcome.failed} failed.`,
          ].join('\n'),
      );
      if (outcome.failed > 0) process.exitCode = 1;
    } finally {
      await store.close();
    }
  },
};
