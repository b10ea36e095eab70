import { StrataError, invalidArgument } from '../../shared/errors';
import { MIGRATION_TARGETS, copyProgressOf } from '../../shared/manager';
import type { Command } from '../command';
import { untilInterrupted } from '../interrupt';
import { didYouMean } from '../did-you-mean';
import { ProgressClock, formatEta } from '../progress-bar';
import { YES_OPTION, confirmChange } from '../confirm';

function targetOf(to: unknown): string {
  if (typeof to !== 'string') throw invalidArgument(`Say where to move the catalog: strata migrate --to ${MIGRATION_TARGETS.join('|')}.`);
  if (!(MIGRATION_TARGETS as readonly string[]).includes(to)) {
    throw invalidArgument(`Strata cannot move a catalog to "${to}"; it moves to ${MIGRATION_TARGETS.join(', ')}.${didYouMean(to, MIGRATION_TARGETS)}`);
  }
  return to;
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Move the catalog to another engine: copied, verified, then switched (rollback undoes it)',
  usage: `strata migrate --to ${MIGRATION_TARGETS.join('|')} [--shards N] [--url <connection string>] [--json]\n       strata migrate --discard [--yes]   (removes the copy of a paused or interrupted move)`,
  description:
    'Copies the catalog to another engine in checkpointed batches, verifies every table (row counts and digests), then switches to the copy; the previous store is kept, and strata rollback goes back to it. Reads go on meanwhile. Ctrl+C pauses at the last checkpoint; running the command again resumes. --shards sets the shard count of a sharded target.',
  examples: [
    { command: 'strata migrate --to sharded --shards 8', does: 'moves a one-file catalog to 8 SQLite shards' },
    { command: 'strata migrate --to postgres --url postgresql://strata:secret@db.lan/strata --json', does: 'moves the catalog to an existing server, progress as JSON lines' },
  ],
  options: {
    to: { type: 'string', value: 'engine', description: 'the engine to move to (see Usage)', defaultText: 'required unless --discard' },
    url: { type: 'string', value: 'connection string', description: 'with --to postgres: an existing server (strata check-server tests it first)', defaultText: 'the portable server shipped with Strata' },
    discard: { type: 'boolean', default: false, description: 'remove the copy of a paused or interrupted move instead (asks first on a terminal)' },
    ...YES_OPTION,
  },
  dataFolder: 'existing',
  async run(ctx) {
    // Beside the app or `strata serve`, the move runs in their process (they keep serving the
    // catalog they moved, and every window sees the progress); this command shows it too.
    const discard = ctx.values.discard === true;
    // The arguments before the folder: a wrong engine is said whatever the data folder holds.
    const to = discard ? '' : targetOf(ctx.values.to);
    const { api, close } = await ctx.connect();
    try {
      if (discard) {
        const { interrupted } = await api['manager/status']({});
        if (interrupted) {
          await confirmChange(
            api,
            ctx.confirm,
            `Remove the partial copy in ${interrupted.to.location} (the ${interrupted.paused ? 'paused' : 'interrupted'} move to ${interrupted.to.engine}); running the move again would then start from the beginning?`,
          );
        }
        const { discarded } = await api['migration/discard']({});
        ctx.output.result({ discarded }, () => (discarded ? `Removed the partial copy in ${discarded.location}; the catalog stays where it was.` : 'There is no interrupted move to discard.'));
        return;
      }
      const url = typeof ctx.values.url === 'string' ? ctx.values.url : undefined;
      const shards = typeof ctx.values.shards === 'string' ? Number(ctx.values.shards) : undefined;
      // The engine's own rate and ETA start from its first batch; the CLI measures its own
      // over the copy (see ProgressClock), restarting at each phase.
      let clock = new ProgressClock();
      let phase = '';
      // Ctrl+C pauses the move at its last checkpoint; running the command again resumes it.
      const result = await untilInterrupted(
        (signal) =>
          api['migration/start'](
            { to, ...(shards ? { shards } : {}), ...(url ? { url } : {}) },
            {
              signal,
              onProgress: (fields) => {
                const p = copyProgressOf(fields);
                const { rows, totalRows, table } = p;
                if (p.phase !== phase) {
                  phase = p.phase;
                  clock = new ProgressClock();
                }
                const { perSecond, etaMs } = clock.update(rows, totalRows > 0 ? totalRows : null);
                const share = totalRows > 0 ? Math.min(1, rows / totalRows) : undefined;
                const eta = formatEta(etaMs);
                ctx.progress(
                  { phase: p.phase, table, rows, total_rows: totalRows, bytes: p.bytes, rows_per_s: Math.round(perSecond), eta_ms: etaMs === null ? null : Math.round(etaMs) },
                  // Short enough for the ETA to fit an 80-column terminal beside the bar.
                  phase === 'done' || totalRows <= 0
                    ? `${phase}: ${rows.toLocaleString('en-US')} rows`
                    : `${phase}${table ? ` ${table}` : ''} ${rows.toLocaleString('en-US')}/${totalRows.toLocaleString('en-US')}, ${Math.round(perSecond).toLocaleString('en-US')}/s${eta ? `, ${eta}` : ''}`,
                  p.phase === 'done' ? 1 : phase === 'copy' ? share : undefined,
                );
              },
            },
          ),
        {
          json: ctx.output.json,
          notice: 'Pausing the move at its next checkpoint…',
          explain: async () => {
            // What the stop really left, from the manager: a paused job with its copy, or none.
            const { interrupted, store } = await api['manager/status']({});
            return interrupted
              ? new StrataError(
                  'cancelled',
                  `The move to ${interrupted.to.engine} is paused at its last checkpoint; the catalog stays on ${store.engine} and is unchanged. Run the same command again to resume where it stopped, or strata migrate --discard to remove the partial copy.`,
                  { paused: true, to: interrupted.to },
                )
              : new StrataError('cancelled', `The move stopped before it had copied anything; the catalog stays on ${store.engine}, unchanged.`, { paused: false });
          },
        },
      );
      ctx.output.result(
        {
          from: result.from,
          to: result.to,
          resumed: result.resumed,
          rows: result.rows,
          elapsed_ms: Math.round(result.elapsedMs),
          verified: result.verified,
          tables: result.tables,
        },
        () =>
          `Moved the catalog from ${result.from.engine} to ${result.to.engine} (${result.rows.toLocaleString()} rows${result.resumed ? ', resumed' : ''}), verified table by table; it is now active. The previous store is kept: strata rollback goes back to it.`,
      );
    } finally {
      await close();
    }
  },
};
