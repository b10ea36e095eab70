import { StrataError, invalidArgument } from '../../shared/errors';
import { copyProgressOf } from '../../shared/manager';
import type { Command } from '../command';
import { untilInterrupted } from '../interrupt';
import { ProgressClock, formatEta } from '../progress-bar';

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
  dataFolder: 'existing',
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
      let clock = new ProgressClock();
      let phase = '';
      const result = await untilInterrupted(
        (signal) =>
          api['migration/start'](
            { to: 'sharded', shards: target },
            {
              signal,
              onProgress: (fields) => {
                const p = copyProgressOf(fields);
                const { rows, totalRows: total } = p;
                if (p.phase !== phase) {
                  phase = p.phase;
                  clock = new ProgressClock();
                }
                const { perSecond, etaMs } = clock.update(rows, total > 0 ? total : null);
                const eta = formatEta(etaMs);
                ctx.progress(
                  { phase: p.phase, scanned_rows: rows, total_rows: total, rows_per_s: Math.round(perSecond), eta_ms: etaMs === null ? null : Math.round(etaMs) },
                  `${phase} ${rows.toLocaleString('en-US')}/${total.toLocaleString('en-US')} rows scanned, ${Math.round(perSecond).toLocaleString('en-US')}/s${eta ? `, ${eta}` : ''}`,
                  total === 0 ? undefined : rows / total,
                );
              },
            },
          ),
        {
          json: ctx.output.json,
          notice: 'Stopping the re-shard…',
          explain: () =>
            new StrataError('cancelled', `The re-shard stopped; the catalog keeps its ${from} shards and every row, and reads and writes go on as before. Run strata reshard --shards ${target} again to re-shard it.`, {
              shards: from,
            }),
        },
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
