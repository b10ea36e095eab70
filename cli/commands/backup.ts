import { invalidArgument } from '../../shared/errors';
import { formatBytes } from '../cli-output';
import type { Command } from '../command';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Copy the live catalog to a file (online: the app may keep working)',
  usage: 'strata backup <file> [--json]',
  options: {},
  async run(ctx) {
    const target = ctx.positionals[0];
    if (!target) throw invalidArgument('Say where to write the backup: strata backup <file>.');
    const store = await ctx.openStore();
    try {
      const result = await store.backup(target, {
        onProgress: (p) => {
          const done = p.totalPages === 0 ? 1 : (p.totalPages - p.remainingPages) / p.totalPages;
          ctx.progress({ phase: 'backup', total_pages: p.totalPages, remaining_pages: p.remainingPages }, `backup ${Math.round(done * 100)}%`);
        },
      });
      ctx.output.result(
        { path: result.path, bytes: result.bytes, elapsed_ms: Math.round(result.elapsedMs) },
        () => `Backed up to ${result.path} (${formatBytes(result.bytes)}).`,
      );
    } finally {
      await store.close();
    }
  },
};
