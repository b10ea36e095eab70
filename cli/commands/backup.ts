import { invalidArgument } from '../../shared/errors';
import { formatBytes } from '../cli-output';
import type { Command } from '../command';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Copy the live catalog to a file (online: the app may keep working)',
  usage: 'strata backup <file> [--json]',
  description:
    'Writes a consistent copy of the active catalog while the app or strata serve may keep reading and writing. strata restore <file> brings it back.',
  examples: [
    { command: 'strata backup D:\\Backups\\strata-2026-12-01.db', does: "copies the catalog in the app's data folder to that file" },
    { command: 'strata backup /mnt/nas/strata.db --data ~/strata-test --json', does: 'backs up another data folder and prints the size as JSON' },
  ],
  options: {},
  async run(ctx) {
    const target = ctx.positionals[0];
    if (!target) throw invalidArgument('Say where to write the backup: strata backup <file>.');
    const { api, close } = await ctx.connect();
    try {
      const result = await api['catalog/backup'](
        { destination: target },
        {
          onProgress: (p) => {
            const total = Number(p.totalPages);
            const done = total === 0 ? 1 : (total - Number(p.remainingPages)) / total;
            ctx.progress({ phase: 'backup', total_pages: total, remaining_pages: Number(p.remainingPages) }, `backup ${Math.round(done * 100)}%`);
          },
        },
      );
      ctx.output.result(
        { path: result.path, bytes: result.bytes, elapsed_ms: Math.round(result.elapsedMs) },
        () => `Backed up to ${result.path} (${formatBytes(result.bytes)}).`,
      );
    } finally {
      await close();
    }
  },
};
