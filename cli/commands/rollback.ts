import { rollbackDataFolder } from '../../electron/db/manager/migrate-data-folder';
import type { Command } from '../command';

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'Go back to the store that was active before the last migration',
  usage: 'strata rollback [--json]',
  options: {},
  run(ctx) {
    const store = rollbackDataFolder(ctx.dataDir);
    ctx.output.result({ active: { engine: store.engine, location: store.location } }, () => `The ${store.engine} store (${store.location}) is active again.`);
    return Promise.resolve();
  },
};
