import { StrataError, invalidArgument } from '../../shared/errors';
import { ShardedStore } from '../../electron/db/engines/sharded/sharded-store';
import type { Command } from '../command';

export const reshardCommand: Command = {
  name: 'reshard',
  summary: 'Change the shard count of a sharded catalog (moves only the rows that must move)',
  usage: 'strata reshard --shards <N> [--json]',
  options: { shards: { type: 'string' } },
  async run(ctx) {
    const target = Number(ctx.values.shards);
    if (ctx.values.shards === undefined || !Number.isInteger(target)) throw invalidArgument('Say how many shards: strata reshard --shards <N>.');
    const store = await ctx.openStore();
    try {
      if (!(store instanceof ShardedStore)) {
        throw new StrataError('invalid-argument', `The catalog in ${ctx.dataDir} is a ${store.capabilities.engine} store; only a sharded store has shards to change.`);
      }
      const result = await store.reshard(target, {
        onProgress: (p) => {
          const done = p.totalRows === 0 ? 1 : p.scannedRows / p.totalRows;
          ctx.progress(
            { phase: p.phase, scanned_rows: p.scannedRows, total_rows: p.totalRows, moved_rows: p.movedRows, elapsed_ms: Math.round(p.elapsedMs) },
            `${p.phase} ${Math.round(done * 100)}% (${p.movedRows.toLocaleString()} rows moved)`,
          );
        },
      });
      ctx.output.result(
        {
          from: result.from,
          to: result.to,
          scanned_rows: result.scannedRows,
          moved_rows: result.movedRows,
          moved_share: Math.round(result.movedShare * 10_000) / 10_000,
          expected_share: Math.round(result.expectedShare * 10_000) / 10_000,
          verified: result.verified,
          elapsed_ms: Math.round(result.elapsedMs),
        },
        () =>
          `Re-sharded ${result.from} -> ${result.to}: moved ${result.movedRows.toLocaleString()} of ${result.scannedRows.toLocaleString()} rows (${(result.movedShare * 100).toFixed(1)}%, jump hashing predicts ${(result.expectedShare * 100).toFixed(1)}%), verified.`,
      );
    } finally {
      await store.close();
    }
  },
};
