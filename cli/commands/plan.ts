import { invalidArgument } from '../../shared/errors';
import { planTier } from '../../electron/db/planner/plan-tier';
import { gatherPlannerInput } from '../../electron/db/planner/planner-input';
import type { Command } from '../command';

export const planCommand: Command = {
  name: 'plan',
  summary: 'What the tier planner recommends for this catalog, with its reasons and estimates',
  usage: 'strata plan [--growth <segments per day>] [--shared] [--json]',
  options: { growth: { type: 'string' }, shared: { type: 'boolean', default: false } },
  async run(ctx) {
    const growth = ctx.values.growth === undefined ? 0 : Number(ctx.values.growth);
    if (!Number.isFinite(growth) || growth < 0) throw invalidArgument('--growth is a number of segments added per day.');
    const store = await ctx.openStore();
    let input;
    try {
      input = await gatherPlannerInput(store, ctx.dataDir, { segmentsAddedPerDay: growth, needsSharedAccess: ctx.values.shared === true });
    } finally {
      await store.close();
    }
    const rec = planTier(input);
    ctx.output.result({ input, recommendation: rec }, () => {
      const target = rec.target ? `${rec.target.engine}${rec.target.shards ? ` with ${rec.target.shards} shards` : ''}` : '';
      const head = rec.action === 'stay' ? `Stay on ${input.engine}.` : `${rec.action === 'reshard' ? 'Re-shard to' : 'Move to'} ${target}${rec.automatic ? ' (may run by itself at a quiet moment)' : ' (asks first)'}.`;
      const estimate = rec.estimate ? `About ${Math.ceil(rec.estimate.ms / 1000)} s and ${(rec.estimate.diskBytes / 1e9).toFixed(1)} GB of free disk.` : '';
      return [head, ...rec.reasons.map((r) => `- ${r}`), estimate, rec.blockedBy ? `Not now: ${rec.blockedBy}.` : ''].filter(Boolean).join('\n');
    });
  },
};
