import { invalidArgument } from '../../shared/errors';
import type { StrataApi } from '../../shared/ipc/api';
import { formatBytes, formatCount, table } from '../cli-output';
import type { Command } from '../command';
import { YES_OPTION, confirmChange } from '../confirm';
import { requireCollection } from '../collection-lookup';

async function byName(api: StrataApi, name: string | undefined) {
  if (!name) throw invalidArgument('Name the collection.');
  return requireCollection(api, name);
}

export const collectionsCommand: Command = {
  name: 'collections',
  summary: 'List, create, rename or delete collections',
  usage: 'strata collections [list | create <name> [--source nzb|local] [--root <path>] | rename <name> <new name> | delete <name> [--yes]] [--json]',
  description:
    "Without an action, lists the collections with their files, segments and size. create, rename and delete change one by name (names are matched without regard to case); delete removes the collection's files and segments from the catalog, never files on disk; it asks first on a terminal, and takes --yes in a script.",
  examples: [
    { command: 'strata collections', does: 'lists the collections' },
    { command: 'strata collections create Linux ISOs --source nzb', does: 'creates an empty collection for imported NZBs' },
  ],
  options: {
    source: { type: 'string', value: 'nzb|local', default: 'local', description: 'create: what the collection holds, imported NZBs or an indexed folder' },
    root: { type: 'string', value: 'path', description: 'create: the folder a local collection indexes', defaultText: 'none; index sets it' },
    ...YES_OPTION,
  },
  dataFolder: (positionals) => (positionals[0] === 'create' ? 'creates' : 'existing'),
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
          await confirmChange(
            api,
            ctx.confirm,
            `Delete the collection "${c.name}" from the catalog: ${formatCount(c.fileCount)} files and ${formatCount(c.segmentCount)} segments (the files on disk are not touched)? This cannot be undone.`,
          );
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
