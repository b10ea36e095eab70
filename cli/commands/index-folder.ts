import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';
import { findOrCreate } from '../collection-lookup';

export const indexCommand: Command = {
  name: 'index',
  summary: 'Index a local folder: files, segments and their hashes (again: only what changed)',
  usage: 'strata index <folder> [--collection <name>] [--segment-bytes N] [--json]',
  description:
    'Walks a local folder, records its folders and files, splits each file into segments and hashes them while reading. Run again on the same folder, it reads only what changed since. Ctrl+C stops the walk.',
  examples: [
    { command: 'strata index D:\\Photos', does: 'indexes D:\\Photos into a collection named Photos' },
    { command: 'strata index ~/music --collection Music --segment-bytes 716800 --json', does: 'indexes with 700 KiB segments, the result as JSON' },
  ],
  options: {
    collection: { type: 'string', value: 'name', description: 'the collection to index into (created if absent)', defaultText: "the folder's name" },
    'segment-bytes': { type: 'string', value: 'N', description: 'segment size of new files, in bytes', defaultText: '768000' },
  },
  async run(ctx) {
    const folder = ctx.positionals[0];
    if (!folder) throw invalidArgument('Name the folder to index: strata index <folder>.');
    const root = path.resolve(folder);
    const name = typeof ctx.values.collection === 'string' ? ctx.values.collection : path.basename(root) || root;
    const segmentBytes = ctx.values['segment-bytes'] === undefined ? undefined : Number(ctx.values['segment-bytes']);
    const { api, close } = await ctx.connect();
    try {
      const collection = await findOrCreate(api, name, 'local', root);
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      const r = await api['folder/index'](
        { collectionId: collection.id, root, ...(segmentBytes === undefined ? {} : { segmentBytes }) },
        {
          signal: controller.signal,
          onProgress: (p) =>
            ctx.progress(
              { phase: 'index', files_seen: Number(p.filesSeen), files_hashed: Number(p.filesHashed), bytes_hashed: Number(p.bytesHashed), elapsed_ms: Math.round(Number(p.elapsedMs)) },
              `${formatCount(Number(p.filesSeen))} files seen, ${formatBytes(Number(p.bytesHashed))} hashed`,
            ),
        },
      ).finally(() => process.off('SIGINT', stop));
      ctx.output.result(
        {
          collection: collection.name,
          files_seen: r.filesSeen,
          added: r.added,
          replaced: r.replaced,
          touched: r.touched,
          unchanged: r.unchanged,
          gone: r.gone,
          segments: r.segments,
          bytes_hashed: r.bytesHashed,
          problems: r.problems,
          elapsed_ms: Math.round(r.elapsedMs),
        },
        () =>
          [
            `Indexed ${root} into "${collection.name}": ${formatCount(r.added)} new, ${formatCount(r.replaced)} changed, ${formatCount(r.touched)} touched, ${formatCount(r.unchanged)} unchanged (${formatBytes(r.bytesHashed)} hashed).`,
            ...(r.gone.length > 0 ? [`${formatCount(r.gone.length)} catalogued files are no longer on disk.`] : []),
            ...r.problems.map((p) => `  problem: ${p.path}: ${p.reason}`),
          ].join('\n'),
      );
    } finally {
      await close();
    }
  },
};
