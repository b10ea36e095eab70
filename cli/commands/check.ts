import type { Command } from '../command';
import { formatCount } from '../cli-output';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the catalog for damage and counters that disagree with the rows (--repair fixes what the rows can settle)',
  usage: 'strata check [--repair] [--json]',
  options: { repair: { type: 'boolean', default: false } },
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
