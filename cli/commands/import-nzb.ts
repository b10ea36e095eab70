import { invalidArgument } from '../../shared/errors';
import path from 'node:path';
import { formatCount } from '../cli-output';
import type { Command } from '../command';
import { withCollection } from '../collection-lookup';
import { untilInterrupted } from '../interrupt';
import { ProgressClock } from '../progress-bar';

export const importNzbCommand: Command = {
  name: 'import-nzb',
  summary: 'Import NZB files (or folders of them) into a collection',
  usage: 'strata import-nzb <files|dirs...> --collection <name> [--json]',
  description:
    'Reads NZB files (a folder is searched for them) and adds their files and segments. An NZB already imported is skipped as a duplicate; one that cannot be read is reported and the others go on. Ctrl+C stops the import: the NZBs imported before it are kept, the one being read is rolled back. A collection the command created is removed again if nothing was imported into it. Exit code 1 when any failed.',
  examples: [
    { command: 'strata import-nzb ~/Downloads/*.nzb --collection Posts', does: 'imports the downloaded NZBs into Posts' },
    { command: 'strata import-nzb D:\\NZB --collection Archive --json', does: 'imports every NZB under D:\\NZB, with a result per file as JSON' },
  ],
  options: { collection: { type: 'string', value: 'name', required: true, description: 'the collection to import into (created if absent)' } },
  dataFolder: 'creates',
  async run(ctx) {
    if (ctx.positionals.length === 0) throw invalidArgument('Name the NZB files or folders to import.');
    const name = typeof ctx.values.collection === 'string' ? ctx.values.collection : null;
    if (!name) throw invalidArgument('Say which collection to import into: --collection <name> (created if absent).');
    const { api, close } = await ctx.connect();
    try {
      let stopped = false;
      const clock = new ProgressClock();
      const { collection, outcome } = await withCollection(
        api,
        { name, source: 'nzb' },
        async (collection) => {
          const outcome = await untilInterrupted(
            (signal) => {
              signal.addEventListener('abort', () => (stopped = true), { once: true });
              return api['nzb/import'](
                { collectionId: collection.id, paths: ctx.positionals.map((p) => path.resolve(p)) },
                {
                  signal,
                  onProgress: (p) => {
                    const done = Number(p.nzbsDone);
                    const total = Number(p.nzbsTotal);
                    const segments = Number(p.segments);
                    const { perSecond } = clock.update(segments, null);
                    ctx.progress(
                      { phase: 'import', nzbs_done: done, nzbs_total: total, files: Number(p.files), segments, bytes: Number(p.bytes), segments_per_s: Math.round(perSecond) },
                      `${done}/${total} NZBs, ${formatCount(Number(p.files))} files, ${formatCount(segments)} segments (${formatCount(Math.round(perSecond))}/s)`,
                      // With one NZB there is nothing between 0 and 1 to show: a spinner says it moves.
                      total > 1 ? done / total : undefined,
                    );
                  },
                },
              );
            },
            { json: ctx.output.json, notice: 'Stopping the import after rolling back the NZB being read…' },
          );
          return { collection, outcome };
        },
        // Nothing imported (every NZB failed, or Ctrl+C came first): the new collection goes again.
        (r) => r.outcome.imported === 0 && (r.outcome.failed > 0 || stopped),
      );
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
          ...(stopped ? { interrupted: true } : {}),
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
            ...(stopped
              ? [
                  `Stopped by Ctrl+C: the ${outcome.imported} NZBs imported before it are kept; ${outcome.results.some((r) => r.status === 'cancelled') ? 'the one being read was rolled back; ' : ''}the others were not started. Run the same command again to import the rest (those already imported are skipped as duplicates).`,
                ]
              : []),
          ].join('\n'),
      );
      if (outcome.failed > 0 || stopped) process.exitCode = stopped ? 130 : 1;
    } finally {
      await close();
    }
  },
};
