import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import { ProgressClock, formatEta } from '../progress-bar';
import type { Command } from '../command';
import { FORCE_OPTION, refuseExistingOutput } from '../output-file';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Copy the live catalog to a file (online: the app may keep working)',
  usage: 'strata backup <file> [--force] [--json]',
  description:
    'Writes a consistent copy of the active catalog while the app or strata serve may keep reading and writing. strata restore <file> brings it back. An existing file is kept unless --force.',
  examples: [
    { command: 'strata backup D:\\Backups\\strata-2026-12-01.db', does: "copies the catalog in the app's data folder to that file" },
    { command: 'strata backup /mnt/nas/strata.db --data ~/strata-test --json', does: 'backs up another data folder and prints the size as JSON' },
  ],
  options: { ...FORCE_OPTION },
  dataFolder: 'existing',
  async run(ctx) {
    const named = ctx.positionals[0];
    if (!named) throw invalidArgument('Say where to write the backup: strata backup <file>.');
    // Resolved here: the folder's owner, which writes it, may run in another working directory.
    const target = path.resolve(named);
    refuseExistingOutput(target, ctx.values.force === true, 'the backup');
    // With --force the copy is made under a name of its own and takes the old one's place only
    // once complete: a failed backup must not have cost the one it was to replace.
    const replacing = ctx.values.force === true && fs.existsSync(target);
    const writeTo = replacing ? `${target}.new-${process.pid}` : target;
    const clock = new ProgressClock();
    const { api, via, close } = await ctx.connect();
    // A backup cannot be cancelled half-way (SQLite's backup API runs to the end), so Ctrl+C says
    // what it leaves instead: run here, the process ends and nothing takes the name; run by the
    // folder's owner, the owner goes on and writes it.
    const onInterrupt = (): void => {
      ctx.progress.stop();
      if (via.kind === 'self') {
        process.stderr.write(`strata: Backup stopped; nothing was written to ${target}${replacing ? ' (the file there is unchanged)' : ''}. A partial copy beside it (.partial) is removed by the next backup.\n`);
        process.exit(130);
      }
      process.stderr.write(`strata: The backup goes on in the ${via.kind} process (pid ${via.pid}), which owns the data folder, and will be written to ${writeTo}; Ctrl+C here only stops watching it.\n`);
      process.exit(130);
    };
    process.once('SIGINT', onInterrupt);
    try {
      const result = await api['catalog/backup'](
        { destination: writeTo },
        {
          onProgress: (p) => {
            const total = Number(p.totalPages);
            const done = total - Number(p.remainingPages);
            const { etaMs } = clock.update(done, total);
            const eta = formatEta(etaMs);
            ctx.progress(
              { phase: 'backup', total_pages: total, remaining_pages: Number(p.remainingPages), eta_ms: etaMs === null ? null : Math.round(etaMs) },
              `backup: ${formatCount(done)} of ${formatCount(total)} pages${eta ? `, ${eta}` : ''}`,
              total === 0 ? 1 : done / total,
            );
          },
        },
      );
      if (replacing) {
        fs.rmSync(target, { recursive: true, force: true });
        fs.renameSync(writeTo, target);
      }
      ctx.output.result(
        { path: target, bytes: result.bytes, elapsed_ms: Math.round(result.elapsedMs), ...(replacing ? { replaced: true } : {}) },
        () => `Backed up to ${target} (${formatBytes(result.bytes)})${replacing ? ', replacing the file that was there' : ''}.`,
      );
    } catch (error) {
      if (replacing) fs.rmSync(writeTo, { recursive: true, force: true });
      throw error;
    } finally {
      process.off('SIGINT', onInterrupt);
      await close();
    }
  },
};
