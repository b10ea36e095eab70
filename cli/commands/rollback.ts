import type { Command } from '../command';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Go back to the store that was active before the last migration',
  usage: 'strata rollback [--force] [--json]',
  description:
    'Makes the store that was active before the last migration (or restore) active again. The store it leaves is kept.',
  examples: [
    { command: 'strata rollback', does: 'goes back to the previous store' },
    { command: 'strata rollback --force --json', does: 'goes back even after changes, the result as JSON' },
  ],
  options: { force: { type: 'boolean', default: false, description: 'go back even though the current store has changes the previous one lacks' } },
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
