import type { Command } from '../command';

export const planCommand: Command = {
  name: 'plan',
  summary: 'What the tier planner recommends for this catalog, with its reasons and estimates',
  usage: 'strata plan [--shared] [--json]',
  description:
    'Measures the catalog (rows, bytes, latencies, free disk) and prints what the tier planner recommends: stay, re-shard or move, with its reasons, an estimate of time and disk, and whether the app may do it by itself.',
  examples: [
    { command: 'strata plan', does: "the recommendation for the catalog in the app's data folder" },
    { command: 'strata plan --shared --json', does: 'records that several processes share the catalog and prints the plan as JSON' },
  ],
  options: { shared: { type: 'boolean', description: 'record that other processes or machines share the catalog (the setting the app planner reads too)', defaultText: 'the setting already recorded' } },
  async run(ctx) {
    const { api, close } = await ctx.connect();
    try {
      // --shared records the answer as the setting the app's planner uses too.
      if (typeof ctx.values.shared === 'boolean') await api['manager/settings']({ sharedAccess: ctx.values.shared });
      const { input, recommendation: rec } = await api['manager/plan']({});
      ctx.output.result({ input, recommendation: rec }, () => {
        const target = rec.target ? `${rec.target.engine}${rec.target.shards ? ` with ${rec.target.shards} shards` : ''}` : '';
        const head = rec.action === 'stay' ? `Stay on ${input.engine}.` : `${rec.action === 'reshard' ? 'Re-shard to' : 'Move to'} ${target}${rec.automatic ? ' (may run by itself at a quiet moment)' : ' (asks first)'}.`;
        const estimate = rec.estimate ? `About ${Math.ceil(rec.estimate.ms / 1000)} s and ${(rec.estimate.diskBytes / 1e9).toFixed(1)} GB of free disk.` : '';
        return [head, ...rec.reasons.map((r) => `- ${r}`), estimate, rec.blockedBy ? `Not now: ${rec.blockedBy}.` : ''].filter(Boolean).join('\n');
      });
    } finally {
      await close();
    }
  },
};
