import path from 'node:path';
import fs from 'node:fs';
import { StrataError, invalidArgument, notFound } from '../../shared/errors';
import { formatBytes, formatCount } from '../cli-output';
import type { Command } from '../command';
import { withCollection } from '../collection-lookup';
import { untilInterrupted } from '../interrupt';
import { ProgressClock } from '../progress-bar';

export const indexCommand: Command = {
  name: 'index',
  summary: 'Index a local folder: files, segments and their hashes (again: only what changed)',
  usage: 'strata index <folder> [--collection <name>] [--segment-bytes N] [--json]',
  description:
    'Walks a local folder, records its folders and files, splits each file into segments and hashes them while reading. Run again on the same folder, it reads only what changed since. Ctrl+C stops the walk and keeps what was indexed; running it again goes on. A collection the command created is removed again when the index fails before recording anything.',
  examples: [
    { command: 'strata index D:\\Photos', does: 'indexes D:\\Photos into a collection named Photos' },
    { command: 'strata index ~/music --collection Music --segment-bytes 716800 --json', does: 'indexes with 700 KiB segments, the result as JSON' },
  ],
  options: {
    collection: { type: 'string', value: 'name', description: 'the collection to index into (created if absent)', defaultText: "the folder's name" },
    'segment-bytes': { type: 'string', value: 'N', description: 'segment size of new files, in bytes', defaultText: '768000' },
  },
  dataFolder: 'creates',
  async run(ctx) {
    const folder = ctx.positionals[0];
    if (!folder) throw invalidArgument('Name the folder to index: strata index <folder>.');
    const root = path.resolve(folder);
    // Said before anything is created: a mistyped path must not leave a collection behind.
    const stat = fs.statSync(root, { throwIfNoEntry: false });
    if (!stat) throw notFound(`There is no folder ${root} to index.`, { path: root });
    if (!stat.isDirectory()) throw invalidArgument(`${root} is a file; strata index takes a folder (its files are indexed with it).`, { path: root });
    const name = typeof ctx.values.collection === 'string' ? ctx.values.collection : path.basename(root) || root;
    const segmentBytes = ctx.values['segment-bytes'] === undefined ? undefined : Number(ctx.values['segment-bytes']);
    const { api, close } = await ctx.connect();
    try {
      const clock = new ProgressClock();
      const { collection, r } = await withCollection(api, { name, source: 'local', rootPath: root }, async (collection) => {
        const r = await untilInterrupted(
          (signal) =>
            api['folder/index'](
              { collectionId: collection.id, root, ...(segmentBytes === undefined ? {} : { segmentBytes }) },
              {
                signal,
                onProgress: (p) => {
                  const bytes = Number(p.bytesHashed);
                  const { perSecond } = clock.update(bytes, null);
                  // The walk and the hashing go together, so the end is not known before the
                  // walk ends: counts and the hashing rate move, no bar pretends to a share.
                  ctx.progress(
                    { phase: 'index', files_seen: Number(p.filesSeen), files_hashed: Number(p.filesHashed), bytes_hashed: bytes, bytes_per_s: Math.round(perSecond), elapsed_ms: Math.round(Number(p.elapsedMs)) },
                    `${formatCount(Number(p.filesSeen))} files seen, ${formatCount(Number(p.filesHashed))} hashed, ${formatBytes(bytes)} (${formatBytes(Math.round(perSecond))}/s)`,
                  );
                },
              },
            ),
          {
            json: ctx.output.json,
            notice: 'Stopping the index; what was hashed so far is being recorded…',
            explain: () =>
              new StrataError('cancelled', `Indexing stopped by Ctrl+C; the files indexed so far are kept in "${name}". Run the same command again to go on: it reads only what is not indexed yet or changed.`),
          },
        );
        return { collection, r };
      });
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
