import { invalidArgument, notFound } from '../../shared/errors';
import { exportNzb } from '../../electron/db/ingest/nzb/nzb-export';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';

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
    const store = await ctx.openStore();
    try {
      const collection = await store.findCollectionByName(name);
      if (!collection) throw notFound(`There is no collection named "${name}".`);
      const result = await exportNzb(store, target, {
        collectionId: collection.id,
        ...(typeof ctx.values.path === 'string' ? { path: ctx.values.path } : {}),
        onProgress: (p) => ctx.progress({ phase: 'export', ...p }, `${formatCount(p.files)} files, ${formatCount(p.segments)} segments`),
      });
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
      await store.close();
    }
  },
};
