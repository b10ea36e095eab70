import { StrataError, invalidArgument } from '../../shared/errors';
import type { Command } from '../command';
import { untilInterrupted } from '../interrupt';

export const reshardCommand: Command = {
  name: 'reshard',
  summary: 'Change the shard count of a sharded catalog (moves only the rows that must move)',
  usage: 'strata reshard --shards <N> [--json]',
  description:
    'Changes the number of segment shards of a sharded catalog. Jump consistent hashing moves only the rows that must move (about a quarter from 3 to 4 shards), then verifies. Reads go on meanwhile; writes wait. Ctrl+C pauses; running it again resumes.',
  examples: [
    { command: 'strata reshard --shards 8', does: 'spreads the segments over 8 shards' },
    { command: 'strata reshard --shards 4 --data /srv/strata --json', does: 're-shards another data folder, progress as JSON lines' },
  ],
  options: { shards: { type: 'string', value: 'N', required: true, description: 'the new number of shards' } },
  async run(ctx) {
    const target = Number(ctx.values.shards);
    if (ctx.values.shards === undefined || !Number.isInteger(target)) throw invalidArgument('Say how many shards: strata reshard --shards <N>.');
    // Through the folder's owner when one runs: the re-shard runs in its process, where reads
    // go on and writes wait for it; nobody else opens the shards meanwhile.
    const { api, close } = await ctx.connect();
    try {
      const status = await api['manager/status']({});
      if (status.store.engine !== 'sharded') {
        throw new StrataError('invalid-argument', `The catalog in ${ctx.dataDir} is a ${status.store.engine} store; only a sharded store has shards to change.`);
      }
      const from = (await api['catalog/stats']({ detailed: true })).shards?.length ?? 0;
      const result = await untilInterrupted((signal) =>
        api['migration/start'](
          { to: 'sharded', shards: target },
          {
            signal,
            onProgress: (p) => {
              const rows = Number(p.rows);
              const total = Number(p.totalRows);
              ctx.progress(
                { phase: p.phase, scanned_rows: rows, total_rows: total },
                `${String(p.phase)} ${rows.toLocaleString()} of ${total.toLocaleString()} rows scanned`,
                total === 0 ? 0 : rows / total,
              );
            },
          },
        ),
      );
      ctx.output.result(
        { from, to: target, moved_rows: result.rows, verified: result.verified, elapsed_ms: Math.round(result.elapsedMs) },
        () => `Re-sharded ${from} -> ${target}: moved ${result.rows.toLocaleString()} rows, verified.`,
      );
    } finally {
      await close();
    }
  },
};
