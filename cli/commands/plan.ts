import type { Command } from '../command';

export const planCommand: Command = {
  name: 'plan',
  summary: 'What the tier planner recommends for this catalog, with its reasons and estimates',
  usage: 'strata plan [--shared] [--json]',
  options: { shared: { type: 'boolean' } },
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
