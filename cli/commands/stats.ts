import { formatBytes, formatCount, table } from '../cli-output';
import type { Command } from '../command';

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Counts, sizes and the tier of the catalog',
  usage: 'strata stats [--tables] [--json]',
  description:
    'Prints the tier and engine of the catalog, where it is, and its counts (collections, folders, files, segments), the data they describe and the space the catalog takes on disk. The counts are the maintained counters, so this is instant at any size.',
  examples: [
    { command: 'strata stats', does: "the catalog in the app's data folder" },
    { command: 'strata stats --tables --data D:\\Strata --json', does: 'another data folder, with the size per table, as JSON' },
  ],
  options: { tables: { type: 'boolean', default: false, description: 'add the size of each table, and of each shard of a sharded catalog' } },
  dataFolder: 'existing',
  async run(ctx) {
    const { api, close } = await ctx.connect();
    try {
      const s = await api['catalog/stats']({ detailed: ctx.values.tables === true });
      // A read-only folder says so (and why) beside its counts; the app shows the same field.
      const { readOnly } = await api['manager/status']({});
      const result = {
        tier: s.tier,
        engine: s.engine,
        location: s.location,
        schema_version: s.schemaVersion,
        collections: s.collections,
        folders: s.folders,
        files: s.files,
        segments: s.segments,
        bytes: s.bytes,
        db_bytes: s.dbBytes,
        ...(s.tables ? { tables: s.tables } : {}),
        ...(s.shards ? { shards: s.shards } : {}),
        ...(readOnly ? { read_only: readOnly } : {}),
      };
      ctx.output.result(result, () => {
        const rows = [
          ['tier', `${s.tier} (${s.engine})`],
          ['catalog', s.location],
          ['collections', formatCount(s.collections)],
          ['folders', formatCount(s.folders)],
          ['files', formatCount(s.files)],
          ['segments', formatCount(s.segments)],
          ['data', formatBytes(s.bytes)],
          ['on disk', formatBytes(s.dbBytes)],
          ...(readOnly ? [['read-only', `${readOnly.path}: ${readOnly.reason}`]] : []),
        ];
        for (const t of s.tables ?? []) rows.push([`  ${t.name}`, formatBytes(t.bytes)]);
        for (const sh of s.shards ?? []) {
          rows.push([`  ${sh.file}`, sh.problem ?? `${formatBytes(sh.bytes)}, ${formatCount(sh.segments ?? 0)} segments`]);
        }
        return table(rows);
      });
    } finally {
      await close();
    }
  },
};
