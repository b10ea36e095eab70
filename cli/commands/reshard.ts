import { StrataError, invalidArgument } from '../../shared/errors';
import type { Command } from '../command';

export const reshardCommand: Command = {
  name: 'reshard',
  summary: 'Change the shard count of a sharded catalog (moves only the rows that must move)',
  usage: 'strata reshard --shards <N> [--json]',
  options: { shards: { type: 'string' } },
  async run(ctx) {
    const target = Number(ctx.values.shards);
    if (ctx.values.shards === undefined || !Number.isInteger(target)) throw invalidArgument('Say how many shards: strata reshard --shards <N>.');
    const manager = await ctx.openManager();
    try {
      if (manager.activeRecord.engine !== 'sharded') {
        throw new StrataError('invalid-argument', `The catalog in ${ctx.dataDir} is a ${manager.activeRecord.engine} store; only a sharded store has shards to change.`);
      }
      const from = (await manager.read(null, (s) => s.stats({ detailed: true }))).shards?.length ?? 0;
      const result = await manager.migrate({ to: 'sharded', shards: target }, (p) => {
        const done = p.totalRows === 0 ? 0 : p.rows / p.totalRows;
        ctx.progress(
          { phase: p.phase, scanned_rows: p.rows, total_rows: p.totalRows, elapsed_ms: Math.round(p.elapsedMs) },
          `${p.phase} ${p.rows.toLocaleString()} of ${p.totalRows.toLocaleString()} rows scanned`,
          done,
        );
      });
      ctx.output.result(
        { from, to: target, moved_rows: result.rows, verified: result.verified, elapsed_ms: Math.round(result.elapsedMs) },
        () => `Re-sharded ${from} -> ${target}: moved ${result.rows.toLocaleString()} rows, verified.`,
      );
    } finally {
      await manager.close();
    }
  },
};
