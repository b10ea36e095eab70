import { decideMove } from '../../electron/db/manager/move-policy';
import type { Command } from '../command';
import { settingsRows } from './settings';

export const planCommand: Command = {
  name: 'plan',
  summary: 'What the tier planner recommends for this catalog, with its reasons, estimates and the settings it follows',
  usage: 'strata plan [--shared] [--json]',
  description:
    'Measures the catalog (rows, bytes, latencies, free disk) and prints what the tier planner recommends: stay, re-shard or move, with its reasons, an estimate of time and disk, and whether the app would run it by itself or ask, by the settings (listed below it; strata settings changes them). --shared plans as if other programs or machines had to reach the catalog, this once: nothing is recorded (strata settings shared-access yes records it).',
  examples: [
    { command: 'strata plan', does: "the recommendation for the catalog in the app's data folder" },
    { command: 'strata plan --shared --json', does: 'what the planner would say if the catalog were shared, as JSON; the setting stays as it is' },
  ],
  options: { shared: { type: 'boolean', default: false, description: 'plan as if other processes or machines shared the catalog, without recording it' } },
  dataFolder: 'existing',
  async run(ctx) {
    const { api, close } = await ctx.connect();
    try {
      const [{ settings }, planned] = await Promise.all([api['manager/status']({}), api['manager/plan']({})]);
      let { input, recommendation: rec } = planned;
      if (ctx.values.shared === true && !input.needsSharedAccess) {
        // The planner is a pure function of its input: asked again with the one answer changed.
        const { planTier } = await import('../../electron/db/planner/plan-tier');
        input = { ...input, needsSharedAccess: true };
        rec = planTier(input);
      }
      const decision = decideMove(rec, settings);
      const rows = settingsRows(settings);
      ctx.output.result(
        { input, recommendation: rec, decision, settings: Object.fromEntries(rows.map((r) => [r.key, r.value])), ...(ctx.values.shared === true ? { as_if_shared: true } : {}) },
        () => {
          const target = rec.target ? `${rec.target.engine}${rec.target.shards ? ` with ${rec.target.shards} shards` : ''}` : '';
          const how = decision === 'run' ? ' (the app may run it by itself at a quiet moment)' : ' (the app asks first)';
          const head = rec.action === 'stay' ? `Stay on ${input.engine}.` : `${rec.action === 'reshard' ? 'Re-shard to' : 'Move to'} ${target}${how}.`;
          const estimate = rec.estimate ? `About ${Math.ceil(rec.estimate.ms / 1000)} s and ${(rec.estimate.diskBytes / 1e9).toFixed(1)} GB of free disk.` : '';
          return [
            ...(ctx.values.shared === true ? ['As if other programs or machines shared the catalog (not recorded):'] : []),
            head,
            ...rec.reasons.map((r) => `- ${r}`),
            estimate,
            rec.blockedBy ? `Not now: ${rec.blockedBy}.` : '',
            `Settings: ${rows.map((r) => `${r.key} ${r.value}`).join(', ')} (strata settings changes them).`,
          ]
            .filter(Boolean)
            .join('\n');
        },
      );
    } finally {
      await close();
    }
  },
};
