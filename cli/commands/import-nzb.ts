import { invalidArgument } from '../../shared/errors';
import path from 'node:path';
import { formatCount } from '../cli-output';
import type { Command } from '../command';
import { findOrCreate } from '../collection-lookup';

export const importNzbCommand: Command = {
  name: 'import-nzb',
  summary: 'Import NZB files (or folders of them) into a collection',
  usage: 'strata import-nzb <files|dirs...> --collection <name> [--json]',
  description:
    'Reads NZB files (a folder is searched for them) and adds their files and segments. An NZB already imported is skipped as a duplicate; one that cannot be read is reported and the others go on. Ctrl+C stops the import. Exit code 1 when any failed.',
  examples: [
    { command: 'strata import-nzb ~/Downloads/*.nzb --collection Posts', does: 'imports the downloaded NZBs into Posts' },
    { command: 'strata import-nzb D:\\NZB --collection Archive --json', does: 'imports every NZB under D:\\NZB, with a result per file as JSON' },
  ],
  options: { collection: { type: 'string', value: 'name', required: true, description: 'the collection to import into (created if absent)' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw invalidArgument('Name the NZB files or folders to import.');
    const name = typeof ctx.values.collection === 'string' ? ctx.values.collection : null;
    if (!name) throw invalidArgument('Say which collection to import into: --collection <name> (created if absent).');
    const { api, close } = await ctx.connect();
    try {
      const collection = await findOrCreate(api, name, 'nzb');
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const outcome = await api['nzb/import'](
        { collectionId: collection.id, paths: ctx.positionals.map((p) => path.resolve(p)) },
        {
          signal: controller.signal,
          onProgress: (p) =>
            ctx.progress(
              { phase: 'import', nzbs_done: Number(p.nzbsDone), nzbs_total: Number(p.nzbsTotal), files: Number(p.files), segments: Number(p.segments), bytes: Number(p.bytes), segments_per_s: Number(p.segmentsPerSecond) },
              `${String(p.nzbsDone)}/${String(p.nzbsTotal)} NZBs, ${formatCount(Number(p.segments))} segments (${formatCount(Number(p.segmentsPerSecond))}/s)`,
            ),
        },
      ).finally(() => process.off('SIGINT', stop));
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
      await close();
    }
  },
};
