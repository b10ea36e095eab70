import path from 'node:path';
import { invalidArgument } from '../../shared/errors';
import { formatCount } from '../cli-output';
import type { Command } from '../command';
import { requireCollection } from '../collection-lookup';

export const attachNzbCommand: Command = {
  name: 'attach-nzb',
  summary: "Attach an uploader's NZB to an indexed collection: its segments become uploaded",
  usage: 'strata attach-nzb --collection <name> <nzb> [--json]',
  description:
    "Reads the NZB that an uploader (ngPost, Nyuu) wrote for a collection you indexed, matches its files to the catalog's, and records each segment's message-id: those segments count as uploaded. Files or segments it cannot match are listed, and the exit code is 1.",
  examples: [
    { command: 'strata attach-nzb --collection Photos ~/uploads/photos.nzb', does: 'marks the segments of Photos that photos.nzb names as uploaded' },
    { command: 'strata attach-nzb --collection Photos posted.nzb --json', does: 'the same, with the matched and unmatched files as JSON' },
  ],
  options: { collection: { type: 'string', value: 'name', required: true, description: 'the indexed collection the uploader posted' } },
  dataFolder: 'existing',
  async run(ctx) {
    const nzb = ctx.positionals[0];
    if (!nzb) throw invalidArgument('Name the NZB the uploader wrote: strata attach-nzb --collection <name> <nzb>.');
    const name = ctx.values.collection;
    if (typeof name !== 'string') throw invalidArgument('Say which collection the NZB belongs to: --collection <name>.');
    const { api, close } = await ctx.connect();
    try {
      const collection = await requireCollection(api, name, 'Index the folder first.');
      const r = await api['nzb/attach']({ collectionId: collection.id, path: path.resolve(nzb) });
      ctx.output.result(
        {
          nzb_files: r.nzbFiles,
          matched_files: r.matchedFiles,
          attached_segments: r.attachedSegments,
          unmatched: r.unmatched,
          segment_problems: r.segmentProblems,
        },
        () =>
          [
            `Attached ${formatCount(r.attachedSegments)} segments to ${formatCount(r.matchedFiles)} of ${formatCount(r.nzbFiles)} files.`,
            ...r.unmatched.map((u) => `  not matched: ${u.file}: ${u.reason}`),
            ...r.segmentProblems.map((p) => `  segment problem: ${p.file}: ${p.reason}`),
          ].join('\n'),
      );
      if (r.unmatched.length > 0 || r.segmentProblems.length > 0) process.exitCode = 1;
    } finally {
      await close();
    }
  },
};
