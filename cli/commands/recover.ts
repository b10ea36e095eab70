import { invalidArgument } from '../../shared/errors';
import { adoptStore, recoveryReport, startEmpty } from '../../electron/db/manager/recover-data-folder';
import { formatBytes } from '../cli-output';
import type { Command } from '../command';

export const recoverCommand: Command = {
  name: 'recover',
  summary: 'When the active store or control.db is lost: list the stores found, adopt one, or start empty',
  usage: 'strata recover [--adopt <location> | --start-empty] [--json]',
  options: { adopt: { type: 'string' }, 'start-empty': { type: 'boolean', default: false } },
  async run(ctx) {
    const adopt = ctx.values.adopt;
    const empty = ctx.values['start-empty'] === true;
    if (typeof adopt === 'string' && empty) throw invalidArgument('Choose one: --adopt <location> or --start-empty.');
    if (typeof adopt === 'string') {
      const record = await adoptStore(ctx.dataDir, adopt);
      ctx.output.result({ active: { engine: record.engine, location: record.location } }, () => `The ${record.engine} store ${record.location} is the active catalog now.`);
      return;
    }
    if (empty) {
      const record = await startEmpty(ctx.dataDir);
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
