import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';
import { requireCollection } from '../collection-lookup';

export const exportNzbCommand: Command = {
  name: 'export-nzb',
  summary: 'Write an NZB for a file, a folder or a whole collection',
  usage: 'strata export-nzb --collection <name> [--path <file or folder>] -o <file.nzb> [--json]',
  description:
    'Writes an NZB that SABnzbd and NZBGet read, for the posted segments of a file, a folder or a whole collection. Files with segments not posted yet are left out and counted in the result.',
  examples: [
    { command: 'strata export-nzb --collection Posts -o posts.nzb', does: 'every posted file of Posts in one NZB' },
    { command: 'strata export-nzb --collection Photos --path 2024/Holiday -o holiday.nzb --json', does: "one folder's files, with the counts as JSON" },
  ],
  options: {
    collection: { type: 'string', value: 'name', required: true, description: 'the collection to export from' },
    path: { type: 'string', value: 'file or folder', description: 'a file or folder inside the collection, as shown by the app', defaultText: 'the whole collection' },
    output: { type: 'string', short: 'o', value: 'file.nzb', required: true, description: 'where to write the NZB' },
  },
  async run(ctx) {
    const name = ctx.values.collection;
    const target = ctx.values.output;
    if (typeof name !== 'string') throw invalidArgument('Say which collection to export: --collection <name>.');
    if (typeof target !== 'string') throw invalidArgument('Say where to write the NZB: -o <file.nzb>.');
    const { api, close } = await ctx.connect();
    try {
      const collection = await requireCollection(api, name);
      const result = await api['nzb/export'](
        { collectionId: collection.id, destination: path.resolve(target), ...(typeof ctx.values.path === 'string' ? { path: ctx.values.path } : {}) },
        { onProgress: (p) => ctx.progress({ phase: 'export', ...p }, `${formatCount(Number(p.files))} files, ${formatCount(Number(p.segments))} segments`) },
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
