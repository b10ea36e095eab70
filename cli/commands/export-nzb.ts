import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';
import { requireCollection } from '../collection-lookup';

export const exportNzbCommand: Command = {
  name: 'export-nzb',
  summary: 'Write an NZB for a file, a folder or a whole collection',
  usage: 'strata export-nzb --collection <name> [--path <file or folder>] -o <file.nzb> [--json]',
  options: { collection: { type: 'string' }, path: { type: 'string' }, output: { type: 'string', short: 'o' } },
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
