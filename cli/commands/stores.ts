import { invalidArgument } from '../../shared/errors';
import { formatBytes, table } from '../cli-output';
import type { Command } from '../command';
import { YES_OPTION } from '../confirm';

const ROLE: Record<string, string> = {
  active: 'active',
  previous: 'previous (rollback)',
  target: 'copy of a move',
  retired: 'retired',
};

const size = (bytes: number | null): string => (bytes === null ? 'on the server' : formatBytes(bytes));

export const storesCommand: Command = {
  name: 'stores',
  summary: 'List the stores the data folder keeps (active, previous, retired) with their size, or remove some',
  usage: 'strata stores [list | remove <name>... [--yes]] [--json]',
  description:
    'Every move and restore keeps the store it replaced: the last one as the previous store (strata rollback goes back to it), older ones as retired copies, each a full copy of the catalog. strata stores lists them with the space each takes; strata stores remove <name> deletes the ones named, after asking on a terminal (--yes in a script). The active store is never removed; removing the previous one means strata rollback can no longer go back.',
  examples: [
    { command: 'strata stores', does: 'lists the stores with their role and size on disk' },
    { command: 'strata stores remove strata.db sharded-mi3k2x --yes', does: 'removes two stores the list named, without asking' },
  ],
  options: { ...YES_OPTION },
  dataFolder: 'existing',
  async run(ctx) {
    const [verb = 'list', ...names] = ctx.positionals;
    if (verb !== 'list' && verb !== 'remove') throw invalidArgument(`Unknown action "${verb}"; use list or remove <name>.`);
    ctx.checkDataFolder();
    // control.db is read (and a retired store removed) directly: neither needs the catalog
    // open, and both are safe beside the folder's owner (see folder-stores.ts).
    const { listFolderStores, removeRetiredStores, storesToRemove } = await import('../../electron/db/manager/folder-stores');
    if (verb === 'list') {
      if (names.length > 0) throw invalidArgument(`strata stores list takes no names; to remove stores: strata stores remove ${names.join(' ')}.`);
      const stores = listFolderStores(ctx.dataDir, { readOnly: true });
      const freeable = stores.filter((s) => s.role === 'previous' || s.role === 'retired').reduce((sum, s) => sum + (s.bytes ?? 0), 0);
      ctx.output.result({ stores, removable_bytes: freeable }, () =>
        stores.length === 0
          ? `${ctx.dataDir} has no control.db, so no stores are recorded; strata recover lists what the folder holds.`
          : [
              table([['name', 'engine', 'role', 'size', 'location'], ...stores.map((s) => [s.name, s.engine, ROLE[s.role] ?? s.role, size(s.bytes), s.location])]),
              ...(freeable > 0 ? ['', `Removing the previous and retired stores would free ${formatBytes(freeable)}: strata stores remove <name>.`] : []),
            ].join('\n'),
      );
      return;
    }
    if (names.length === 0) throw invalidArgument('Name the stores to remove (strata stores lists them): strata stores remove <name>...');
    const chosen = storesToRemove(ctx.dataDir, [...new Set(names)]);
    const previous = chosen.find((s) => s.role === 'previous');
    const bytes = chosen.reduce((sum, s) => sum + (s.bytes ?? 0), 0);
    await ctx.confirm(
      `Remove ${chosen.map((s) => `${s.name} (${s.engine}, ${ROLE[s.role] ?? s.role}, ${size(s.bytes)})`).join(', ')}, freeing ${formatBytes(bytes)}?` +
        (previous ? ` ${previous.name} is the previous store: strata rollback will no longer be possible.` : '') +
        ' This cannot be undone.',
    );
    if (previous) {
      // Through the folder's manager (this process's, or its owner's): it refuses during a move
      // and knows that rollback is gone afterwards. First, since it may refuse: then nothing went.
      const { api, close } = await ctx.connect();
      try {
        await api['stores/remove-previous']({});
      } finally {
        await close();
      }
    }
    await removeRetiredStores(ctx.dataDir, chosen.filter((s) => s.role === 'retired'));
    ctx.output.result({ removed: chosen.map((s) => ({ name: s.name, engine: s.engine, role: s.role, bytes: s.bytes })), freed_bytes: bytes }, () =>
      [...chosen.map((s) => `Removed ${s.name} (${size(s.bytes)}).`), ...(previous ? ['There is no previous store now: strata rollback has nothing to go back to.'] : [])].join('\n'),
    );
  },
};
