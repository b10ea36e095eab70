import { invalidArgument, notFound } from '../../shared/errors';
import type { CatalogStore } from '../../electron/db/store';
import { formatBytes, formatCount, table } from '../cli-output';
import type { Command } from '../command';

async function byName(store: CatalogStore, name: string | undefined) {
  if (!name) throw invalidArgument('Name the collection.');
  const c = await store.findCollectionByName(name);
  if (!c) throw notFound(`There is no collection named "${name}".`);
  return c;
}

export const collectionsCommand: Command = {
  name: 'collections',
  summary: 'List, create, rename or delete collections',
  usage: 'strata collections [list | create <name> [--source nzb|local] [--root <path>] | rename <name> <new name> | delete <name>] [--json]',
  options: { source: { type: 'string', default: 'local' }, root: { type: 'string' } },
  async run(ctx) {
    const [verb = 'list', ...args] = ctx.positionals;
    const store = await ctx.openStore();
    try {
      switch (verb) {
        case 'list': {
          const list = await store.listCollections();
          ctx.output.result({ collections: list }, () =>
            list.length === 0
              ? 'No collections yet.'
              : table([
                  ['name', 'source', 'files', 'segments', 'data'],
                  ...list.map((c) => [c.name, c.source, formatCount(c.fileCount), formatCount(c.segmentCount), formatBytes(c.bytes)]),
                ]),
          );
          return;
        }
        case 'create': {
          const source = ctx.values.source;
          if (source !== 'nzb' && source !== 'local') throw invalidArgument('--source is nzb or local.');
          const root = typeof ctx.values.root === 'string' ? ctx.values.root : null;
          const c = await store.createCollection({ name: args.join(' '), source, rootPath: root });
          ctx.output.result({ collection: c }, () => `Created collection "${c.name}".`);
          return;
        }
        case 'rename': {
          const c = await byName(store, args[0]);
          const renamed = await store.renameCollection(c.id, args[1] ?? '');
          ctx.output.result({ collection: renamed }, () => `Renamed "${c.name}" to "${renamed.name}".`);
          return;
        }
        case 'delete': {
          const c = await byName(store, args.join(' '));
          await store.deleteCollection(c.id);
          ctx.output.result({ deleted: c.id }, () => `Deleted collection "${c.name}" (${formatCount(c.fileCount)} files).`);
          return;
        }
        default:
          throw invalidArgument(`Unknown action "${verb}"; use list, create, rename or delete.`);
      }
    } finally {
      await store.close();
    }
  },
};
