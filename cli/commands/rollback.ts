import type { Command } from '../command';
import { YES_OPTION } from '../confirm';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Go back to the store that was active before the last migration',
  usage: 'strata rollback [--force] [--yes] [--json]',
  description:
    'Makes the store that was active before the last migration (or restore) active again. The store it leaves is kept (strata stores lists both). It asks first on a terminal, and takes --yes in a script.',
  examples: [
    { command: 'strata rollback', does: 'goes back to the previous store' },
    { command: 'strata rollback --force --yes --json', does: 'goes back even after changes, without asking, the result as JSON' },
  ],
  options: { force: { type: 'boolean', default: false, description: 'go back even though the current store has changes the previous one lacks' }, ...YES_OPTION },
  dataFolder: 'existing',
  async run(ctx) {
    // Through the folder's owner when one runs: it switches its own catalog back.
    const { api, close } = await ctx.connect();
    try {
      // Asked only when there is somewhere to go back to (otherwise the call explains why not).
      const { store: current, previous, rollbackSafe, readOnly } = await api['manager/status']({});
      if (previous && !readOnly && (rollbackSafe || ctx.values.force === true)) {
        await ctx.confirm(
          `Make the ${previous.engine} store ${previous.location} active again, leaving the ${current.engine} store ${current.location}` +
            (rollbackSafe ? '' : ' and the changes made in it since the move') +
            '?',
        );
      }
      const store = await api['migration/rollback']({ force: ctx.values.force === true });
      ctx.output.result({ active: store }, () => `The ${store.engine} store (${store.location}) is active again.`);
    } finally {
      await close();
    }
  },
};
