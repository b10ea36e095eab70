import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';
import { FORCE_OPTION, refuseExistingOutput } from '../output-file';
import { requireCollection } from '../collection-lookup';
import { untilInterrupted } from '../interrupt';
import { ProgressClock, formatEta } from '../progress-bar';

export const exportNzbCommand: Command = {
  name: 'export-nzb',
  summary: 'Write an NZB for a file, a folder or a whole collection',
  usage: 'strata export-nzb --collection <name> [--path <file or folder>] -o <file.nzb> [--force] [--json]',
  description:
    'Writes an NZB that SABnzbd and NZBGet read, for the posted segments of a file, a folder or a whole collection. Files with segments not posted yet are left out and counted in the result.',
  examples: [
    { command: 'strata export-nzb --collection Posts -o posts.nzb', does: 'every posted file of Posts in one NZB' },
    { command: 'strata export-nzb --collection Photos --path 2024/Holiday -o holiday.nzb --json', does: "one folder's files, with the counts as JSON" },
  ],
  options: {
    collection: { type: 'string', value: 'name', required: true, description: 'the collection to export from' },
    path: { type: 'string', value: 'file or folder', description: 'a file or folder inside the collection, as shown by the app', defaultText: 'the whole collection' },
    output: { type: 'string', short: 'o', value: 'file.nzb', required: true, description: 'where to write the NZB (an existing file is kept unless --force)' },
    ...FORCE_OPTION,
  },
  dataFolder: 'existing',
  async run(ctx) {
    const name = ctx.values.collection;
    const target = ctx.values.output;
    if (typeof name !== 'string') throw invalidArgument('Say which collection to export: --collection <name>.');
    if (typeof target !== 'string') throw invalidArgument('Say where to write the NZB: -o <file.nzb>.');
    refuseExistingOutput(path.resolve(target), ctx.values.force === true, 'the NZB');
    const { api, close } = await ctx.connect();
    try {
      const collection = await requireCollection(api, name);
      // A whole collection's file count is known; a folder's is not (no call counts it).
      const total = typeof ctx.values.path === 'string' ? null : collection.fileCount;
      const clock = new ProgressClock();
      const result = await untilInterrupted(
        (signal) =>
          api['nzb/export'](
            { collectionId: collection.id, destination: path.resolve(target), ...(typeof ctx.values.path === 'string' ? { path: ctx.values.path } : {}) },
            {
              signal,
              onProgress: (p) => {
                const files = Number(p.files);
                const { perSecond, etaMs } = clock.update(files, total);
                const eta = formatEta(etaMs);
                ctx.progress(
                  { phase: 'export', ...p, files_per_s: Math.round(perSecond), eta_ms: etaMs === null ? null : Math.round(etaMs) },
                  `${formatCount(files)}${total === null ? '' : ` of ${formatCount(total)}`} files, ${formatCount(Number(p.segments))} segments (${formatCount(Math.round(perSecond))} files/s${eta ? `, ${eta}` : ''})`,
                  total ? Math.min(1, files / total) : undefined,
                );
              },
            },
          ),
        { json: ctx.output.json, notice: 'Stopping the export…' },
      );
      ctx.output.result(
        {
          path: result.path,
          files: result.files,
          segments: result.segments,
          bytes: result.bytes,
          skipped_files: result.skippedFiles,
          skipped_segments: result.skippedSegments,
        },
        () =>
          `Wrote ${result.path}: ${formatCount(result.files)} files, ${formatCount(result.segments)} segments (${formatBytes(result.bytes)})` +
          (result.skippedFiles > 0 ? `; ${formatCount(result.skippedFiles)} files not posted yet were left out` : '') +
          '.',
      );
    } finally {
      await close();
    }
  },
};
