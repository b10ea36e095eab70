import { invalidArgument } from '../../shared/errors';
import { MIGRATION_TARGETS, migrateDataFolder, type MigrationTarget } from '../../electron/db/manager/migrate-data-folder';
import type { Command } from '../command';

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return s >= 60 ? `, ${Math.floor(s / 60)} min ${s % 60} s left` : `, ${s} s left`;
}

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Move the catalog to another engine: copied, verified, then switched (rollback undoes it)',
  usage: `strata migrate --to ${MIGRATION_TARGETS.join('|')} [--shards N] [--json]`,
  options: { to: { type: 'string' } },
  async run(ctx) {
    const to = ctx.values.to;
    if (typeof to !== 'string' || !(MIGRATION_TARGETS as readonly string[]).includes(to)) {
      throw invalidArgument(`Say where to move the catalog: strata migrate --to ${MIGRATION_TARGETS.join('|')}.`);
    }
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    try {
      const result = await migrateDataFolder(ctx.dataDir, {
        to: to as MigrationTarget,
        ...(typeof ctx.values.shards === 'string' ? { shards: Number(ctx.values.shards) } : {}),
        signal: stop.signal,
        onProgress: (p) => {
          const share = p.totalRows > 0 ? Math.min(1, p.rows / p.totalRows) : 0;
          ctx.progress(
            { phase: p.phase, table: p.table, rows: p.rows, total_rows: p.totalRows, rows_per_s: p.rowsPerSecond, eta_ms: p.etaMs === null ? null : Math.round(p.etaMs) },
            `${p.phase}${p.table ? ` ${p.table}` : ''} ${Math.round(share * 100)}% (${p.rows.toLocaleString()} rows, ${p.rowsPerSecond.toLocaleString()}/s${formatEta(p.etaMs)})`,
          );
        },
      });
      ctx.output.result(
        {
          from: result.from,
          to: result.to,
          resumed: result.resumed,
          rows: result.rows,
          elapsed_ms: Math.round(result.elapsedMs),
          verified: result.verification.every((v) => v.ok),
          tables: result.verification.map((v) => ({ table: v.table, rows: v.targetRows, digest: v.targetDigest })),
        },
        () =>
          `Moved the catalog from ${result.from.engine} to ${result.to.engine} (${result.rows.toLocaleString()} rows${result.resumed ? ', resumed' : ''}), verified table by table; it is now active. The previous store is kept: strata rollback goes back to it.`,
      );
    } finally {
      process.off('SIGINT', onSignal);
    }
  },
};
