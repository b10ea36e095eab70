import { invalidArgument } from '../../shared/errors';
import type { StrataApi } from '../../shared/ipc/api';
import { formatBytes, formatCount, table } from '../cli-output';
import type { Command } from '../command';
import { requireCollection } from '../collection-lookup';

async function byName(api: StrataApi, name: string | undefined) {
  if (!name) throw invalidArgument('Name the collection.');
  return requireCollection(api, name);
}

export const collectionsCommand: Command = {
  name: 'collections',
  summary: 'List, create, rename or delete collections',
  usage: 'strata collections [list | create <name> [--source nzb|local] [--root <path>] | rename <name> <new name> | delete <name>] [--json]',
  options: { source: { type: 'string', default: 'local' }, root: { type: 'string' } },
  async run(ctx) {
    const [verb = 'list', ...args] = ctx.positionals;
    const { api, close } = await ctx.connect();
    try {
      switch (verb) {
        case 'list': {
          const list = await api['collections/list']({});
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
          const c = await api['collections/create']({ name: args.join(' '), source, rootPath: root });
          ctx.output.result({ collection: c }, () => `Created collection "${c.name}".`);
          return;
        }
        case 'rename': {
          const c = await byName(api, args[0]);
          const renamed = await api['collections/rename']({ id: c.id, name: args[1] ?? '' });
          ctx.output.result({ collection: renamed }, () => `Renamed "${c.name}" to "${renamed.name}".`);
          return;
        }
        case 'delete': {
          const c = await byName(api, args.join(' '));
          await api['collections/delete']({ id: c.id });
          ctx.output.result({ deleted: c.id }, () => `Deleted collection "${c.name}" (${formatCount(c.fileCount)} files).`);
          return;
        }
        default:
          throw invalidArgument(`Unknown action "${verb}"; use list, create, rename or delete.`);
      }
    } finally {
      await close();
    }
  },
};
