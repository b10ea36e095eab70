import type { Command } from '../command';
import { formatCount } from '../cli-output';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the catalog for damage and counters that disagree with the rows (--repair fixes what the rows can settle)',
  usage: 'strata check [--repair] [--json]',
  description:
    "Runs the engine's integrity check and compares every maintained counter with the rows it counts. While a check finds problems, the catalog refuses changes; --repair fixes what can be recomputed from the rows, and a backup covers the rest. Exit code 1 when problems remain.",
  examples: [
    { command: 'strata check', does: "checks the catalog in the app's data folder" },
    { command: 'strata check --repair --data D:\\Strata', does: 'repairs the catalog in D:\\Strata and checks it again' },
  ],
  options: { repair: { type: 'boolean', default: false, description: 'fix what the rows can settle (orphan segments, counters, the full-text index), then check again' } },
  dataFolder: 'existing',
  async run(ctx) {
    const { api, close } = await ctx.connect();
    try {
      if (ctx.values.repair === true) {
        const { repair, check } = await api['catalog/repair']({});
        ctx.output.result({ repair, check }, () =>
          [
            `Repaired: ${formatCount(repair.orphanSegments)} orphan segment rows removed, counters recomputed for ${formatCount(repair.files)} files, ${formatCount(repair.folders)} folders and ${formatCount(repair.collections)} collections${repair.fullTextRebuilt ? ', full-text index rebuilt' : ''}.`,
            ...repair.unrepaired.map((p) => `  not repairable: ${p}`),
            check.ok ? 'The catalog is healthy now; changes are allowed again.' : `Problems remain:\n${check.problems.map((p) => `  - ${p}`).join('\n')}`,
          ].join('\n'),
        );
        if (!check.ok) process.exitCode = 1;
        return;
      }
      const report = await api['catalog/check']({});
      ctx.output.result(report, () =>
        report.ok
          ? `The catalog is healthy (checked in ${Math.round(report.checkedMs)} ms).`
          : `Problems found:\n${report.problems.map((p) => `  - ${p}`).join('\n')}\nChanges are refused until a check passes: strata check --repair fixes what the rows can settle; otherwise restore a backup.`,
      );
      if (!report.ok) process.exitCode = 1;
    } finally {
      await close();
    }
  },
};
