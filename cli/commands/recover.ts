import { invalidArgument } from '../../shared/errors';
import { formatBytes } from '../cli-output';
import type { Command } from '../command';

export const recoverCommand: Command = {
  name: 'recover',
  summary: 'When the active store or control.db is lost: list the stores found, adopt one, or start empty',
  usage: 'strata recover [--adopt <location> | --start-empty] [--json]',
  description:
    'For a data folder whose active store or control.db is lost or damaged: without options, lists the stores found in the folder with their size and age; --adopt makes one active, --start-empty starts over. Nothing is removed.',
  examples: [
    { command: 'strata recover', does: "lists the stores found in the app's data folder" },
    { command: 'strata recover --adopt shards-2 --data D:\\Strata', does: 'makes the store listed as shards-2 the active catalog' },
  ],
  options: {
    adopt: { type: 'string', value: 'location', description: 'make this store (as listed) the active catalog', defaultText: 'none: only list' },
    'start-empty': { type: 'boolean', default: false, description: 'start an empty catalog, leaving everything found in place' },
  },
  dataFolder: 'existing',
  async run(ctx) {
    const adopt = ctx.values.adopt;
    const empty = ctx.values['start-empty'] === true;
    if (typeof adopt === 'string' && empty) throw invalidArgument('Choose one: --adopt <location> or --start-empty.');
    ctx.checkDataFolder();
    const [{ adoptStore, recoveryReport, startEmpty }, { withFolderToItself }] = await Promise.all([
      import('../../electron/db/manager/recover-data-folder'),
      import('../folder-to-itself'),
    ]);
    if (typeof adopt === 'string') {
      const record = await withFolderToItself(ctx.dataDir, 'Adopting a store', () => adoptStore(ctx.dataDir, adopt));
      ctx.output.result({ active: { engine: record.engine, location: record.location } }, () => `The ${record.engine} store ${record.location} is the active catalog now.`);
      return;
    }
    if (empty) {
      const record = await withFolderToItself(ctx.dataDir, 'Starting an empty catalog', () => startEmpty(ctx.dataDir));
      ctx.output.result(
        { active: { engine: record.engine, location: record.location } },
        () => `An empty ${record.engine} catalog in ${record.location} is active now; nothing else in the folder was changed or removed.`,
      );
      return;
    }
    const report = recoveryReport(ctx.dataDir);
    ctx.output.result(
      { active: report.active, found: report.found.map((f) => ({ engine: f.engine, location: f.location, bytes: f.bytes, modified_at: new Date(f.modifiedAt).toISOString() })) },
      () =>
        [
          report.active ? `Active store: ${report.active.engine} in ${report.active.location} (${report.active.presence}).` : 'control.db names no active store.',
          'Stores in the folder:',
          ...(report.found.length === 0 ? ['  none'] : report.found.map((f) => `  ${f.location}  ${f.engine}, ${formatBytes(f.bytes)}, last changed ${new Date(f.modifiedAt).toISOString()}`)),
          'Adopt one with strata recover --adopt <location>, restore a backup with strata restore <backup>, or start empty with strata recover --start-empty.',
        ].join('\n'),
    );
  },
};
