/**
 * `npm run bench -- reshard --shards 4 --to 8 --segments N`: re-shards a copy of the cached
 * sharded benchmark catalog and reports how many rows moved against jump hashing's
 * theoretical share ((M - N) / M when growing), and how fast.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ShardedStore } from '../../electron/db/engines/sharded/sharded-store';
import { SHARDED_DIR } from '../../electron/db/open-store';
import { benchCatalog } from './bench-catalog';
import { log, peakRssMb, round, tempDir } from './bench-utils';

export async function reshardBench(opts: { shards: number; to: number; segments: number; seed: number; rebuild: boolean }): Promise<Record<string, unknown>> {
  const cached = await benchCatalog(opts.segments, opts.seed, opts.rebuild, { engine: 'sharded', shards: opts.shards });
  const dir = tempDir('reshard');
  try {
    fs.cpSync(path.join(cached, SHARDED_DIR), dir, { recursive: true });
    const store = await ShardedStore.open(dir);
    try {
      log(`re-sharding ${opts.shards} -> ${opts.to}…`);
      let last = 0;
      const result = await store.reshard(opts.to, {
        onProgress: (p) => {
          if (performance.now() - last > 5_000) {
            last = performance.now();
            log(`  ${p.phase}: ${p.rows.toLocaleString()} of ${p.totalRows.toLocaleString()} rows read`);
          }
        },
      });
      const integrity = await store.checkIntegrity();
      return {
        bench: 'reshard',
        from: result.from,
        to: result.to,
        segments: opts.segments,
        scanned_rows: result.scannedRows,
        moved_rows: result.movedRows,
        moved_share: round(result.movedShare, 4),
        expected_share: round(result.expectedShare, 4),
        moved_vs_expected: round(result.movedShare / result.expectedShare, 4),
        ms: round(result.elapsedMs),
        moved_rows_per_s: round((result.movedRows / result.elapsedMs) * 1000),
        verified: result.verified,
        integrity_ok: integrity.ok,
        peak_rss_mb: peakRssMb(),
      };
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
