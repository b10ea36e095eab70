import { invalidArgument, isStrataError } from '../../shared/errors';
import { restoreDataFolder, type RestoreResult } from '../../electron/db/manager/restore-data-folder';
import type { Command } from '../command';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a backup (any tier) into a new store, verify it, and switch to it',
  usage: 'strata restore <backup file or folder> [--json]',
  options: {},
  async run(ctx) {
    const backup = ctx.positionals[0];
    if (!backup) throw invalidArgument('Say which backup to restore: strata restore <backup>.');
    ctx.progress({ phase: 'restore' }, 'restoring and verifying…');
    let result: RestoreResult;
    try {
      const manager = await ctx.openManager();
      try {
        result = await manager.restore(backup);
      } finally {
        await manager.close();
      }
    } catch (error) {
      // With the active store lost (or control.db gone), nothing can be opened: a restore is
      // exactly the way out, so it runs on the folder directly.
      if (!isStrataError(error, 'store-missing') && !isStrataError(error, 'control-missing')) throw error;
      result = await restoreDataFolder(ctx.dataDir, backup);
    }
    const done = result;
    ctx.output.result(
      { backup: done.backup, kind: done.kind, active: done.to, recorded: done.recorded, tables: done.tables, elapsed_ms: Math.round(done.elapsedMs) },
      () =>
        `Restored ${done.backup} into ${done.to.engine} (${done.to.location}) and switched to it; ${done.recorded ? 'every table matched the counts and digests the backup recorded' : 'the backup recorded no digests (an older backup), so its integrity check was the verification'}. The store it replaced is kept as the previous one (strata rollback).`,
    );
  },
};
