import path from 'node:path';
import { invalidArgument, isStrataError } from '../../shared/errors';
import type { RestoreResult } from '../../electron/db/manager/restore-data-folder';
import type { Command } from '../command';

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a backup (any tier) into a new store, verify it, and switch to it',
  usage: 'strata restore <backup file or folder> [--json]',
  description:
    'Restores a backup made by strata backup (or the app) into a new store beside the active one, checks it against the counts and digests the backup recorded, and switches to it. The store it replaces is kept: strata rollback goes back. Works also when the active store is lost.',
  examples: [
    { command: 'strata restore D:\\Backups\\strata-2026-12-01.db', does: "restores that backup into the app's data folder" },
    { command: 'strata restore /mnt/nas/strata-shards --data ~/strata --json', does: 'restores a sharded backup folder, the result as JSON' },
  ],
  options: {},
  dataFolder: 'creates',
  async run(ctx) {
    const backup = ctx.positionals[0];
    if (!backup) throw invalidArgument('Say which backup to restore: strata restore <backup>.');
    ctx.progress({ phase: 'restore' }, 'restoring and verifying…');
    // The channel's result (engine as a string) or the direct one: the same shape for the output.
    let result: Omit<RestoreResult, 'to'> & { to: { engine: string; location: string } };
    try {
      // Through the folder's owner when one runs: it restores and switches its own catalog.
      const { api, close } = await ctx.connect();
      try {
        result = await api['catalog/restore']({ backup: path.resolve(backup) });
      } finally {
        await close();
      }
    } catch (error) {
      // With the active store lost (or control.db gone), nothing can be opened: a restore is
      // exactly the way out, so it runs on the folder directly, holding the folder's lock.
      if (!isStrataError(error, 'store-missing') && !isStrataError(error, 'control-missing')) throw error;
      const [{ restoreDataFolder }, { withFolderToItself }] = await Promise.all([import('../../electron/db/manager/restore-data-folder'), import('../folder-to-itself')]);
      result = await withFolderToItself(ctx.dataDir, 'Restoring a backup', () => restoreDataFolder(ctx.dataDir, backup));
    }
    const done = result;
    ctx.output.result(
      { backup: done.backup, kind: done.kind, active: done.to, recorded: done.recorded, tables: done.tables, elapsed_ms: Math.round(done.elapsedMs) },
      () =>
        `Restored ${done.backup} into ${done.to.engine} (${done.to.location}) and switched to it; ${done.recorded ? 'every table matched the counts and digests the backup recorded' : 'the backup recorded no digests (an older backup), so its integrity check was the verification'}. The store it replaced is kept as the previous one (strata rollback).`,
    );
  },
};
