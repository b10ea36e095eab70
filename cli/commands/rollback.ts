import type { Command } from '../command';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Go back to the store that was active before the last migration',
  usage: 'strata rollback [--force] [--json]',
  options: { force: { type: 'boolean', default: false } },
  async run(ctx) {
    const manager = await ctx.openManager();
    try {
      const store = await manager.rollback({ force: ctx.values.force === true });
      ctx.output.result({ active: store }, () => `The ${store.engine} store (${store.location}) is active again.`);
    } finally {
      await manager.close();
    }
  },
};
