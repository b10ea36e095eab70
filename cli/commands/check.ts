import type { Command } from '../command';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the catalog for damage and counters that disagree with the rows',
  usage: 'strata check [--json]',
  options: {},
  async run(ctx) {
    const { api, close } = await ctx.connect();
    try {
      const report = await api['catalog/check']({});
      ctx.output.result(report, () =>
        report.ok
          ? `The catalog is healthy (checked in ${Math.round(report.checkedMs)} ms).`
          : `Problems found:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
      );
      if (!report.ok) process.exitCode = 1;
    } finally {
      await close();
    }
  },
};
