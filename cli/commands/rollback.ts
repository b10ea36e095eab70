import type { Command } from '../command';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Go back to the store that was active before the last migration',
  usage: 'strata rollback [--force] [--json]',
  options: { force: { type: 'boolean', default: false } },
  async run(ctx) {
    // Through the folder's owner when one runs: it switches its own catalog back.
    const { api, close } = await ctx.connect();
    try {
      const store = await api['migration/rollback']({ force: ctx.values.force === true });
      ctx.output.result({ active: store }, () => `The ${store.engine} store (${store.location}) is active again.`);
    } finally {
      await close();
    }
  },
};
