import { invalidArgument } from '../../shared/errors';
import { MIGRATION_TARGETS, type MigrationTarget } from '../../electron/db/manager/migrate-data-folder';
import type { Command } from '../command';

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `, ${Math.floor(s / 60)} min ${s % 60} s left` : `, ${s} s left`;
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Move the catalog to another engine: copied, verified, then switched (rollback undoes it)',
  usage: `strata migrate --to ${MIGRATION_TARGETS.join('|')} [--shards N] [--url <connection string>] [--json]\n       strata migrate --discard   (removes the copy of a paused or interrupted move)`,
  options: { to: { type: 'string' }, url: { type: 'string' }, discard: { type: 'boolean', default: false } },
  async run(ctx) {
    const manager = await ctx.openManager();
    try {
      if (ctx.values.discard === true) {
        const discarded = await manager.discardInterrupted();
        ctx.output.result({ discarded }, () => (discarded ? `Removed the partial copy in ${discarded.location}; the catalog stays where it was.` : 'There is no interrupted move to discard.'));
        return;
      }
      const to = ctx.values.to;
      if (typeof to !== 'string' || !(MIGRATION_TARGETS as readonly string[]).includes(to)) {
        throw invalidArgument(`Say where to move the catalog: strata migrate --to ${MIGRATION_TARGETS.join('|')}.`);
      }
      const url = typeof ctx.values.url === 'string' ? ctx.values.url : undefined;
      const shards = typeof ctx.values.shards === 'string' ? Number(ctx.values.shards) : undefined;
      // Ctrl+C pauses the move at its last checkpoint; running the command again resumes it.
      const onSignal = (): void => void manager.cancelMove();
      process.once('SIGINT', onSignal);
      try {
        const result = await manager.migrate({ to: to as MigrationTarget, ...(shards ? { shards } : {}), ...(url ? { url } : {}) }, (p) => {
          const share = p.totalRows > 0 ? Math.min(1, p.rows / p.totalRows) : 0;
          ctx.progress(
            { phase: p.phase, table: p.table, rows: p.rows, total_rows: p.totalRows, bytes: p.bytes, rows_per_s: p.rowsPerSecond, eta_ms: p.etaMs === null ? null : Math.round(p.etaMs) },
            `${p.phase}${p.table ? ` ${p.table}` : ''} ${p.rows.toLocaleString()} rows, ${p.rowsPerSecond.toLocaleString()}/s${formatEta(p.etaMs)}`,
            p.phase === 'copy' ? share : p.phase === 'done' ? 1 : undefined,
          );
        });
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
        process.off('SIGINT', onSignal);
      }
    } finally {
      await manager.close();
    }
  },
};
