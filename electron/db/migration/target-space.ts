/**
 * How much disk a copy into each engine takes, from measured stores (docs/benchmarks.md,
 * "Bytes per row by target"): `strata generate` catalogs of 100k and 400k segments moved by
 * `strata migrate`, the target folder measured with `du -sb`. Two sizes separate the fixed
 * part (an empty PGlite cluster is 48 MB) from the part that grows with the rows copied
 * (estimatedCopyRows: segments, files twice, folders, collections).
 */
import type { EngineName } from '../../../shared/domain';
import { StrataError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { freeDiskBytes } from '../free-disk';

export interface TargetSpace {
  /** An empty store of this engine. */
  fixedBytes: number;
  /** Each copied row, indexes included. */
  bytesPerRow: number;
  /**
   * Free space the copy never goes below. PGlite must not meet a full disk at all: its
   * embedded Postgres, unable to write WAL, loops inside XLogFlush without returning (seen at
   * 92% CPU for minutes), so the copy stops while this much is still free. It covers two
   * 16 MB WAL segments and a checkpoint.
   */
  floorBytes: number;
}

const MB = 1_000_000;

/** Measured: 100k -> 400k segments (106,845 -> 429,050 rows). */
export const TARGET_SPACE: Record<EngineName, TargetSpace> = {
  // 8.25 MB -> 33.9 MB: 79.7 bytes per row, nothing fixed worth counting.
  sqlite: { fixedBytes: 1 * MB, bytesPerRow: 80, floorBytes: 16 * MB },
  // 8.31 MB -> 33.96 MB over 4 shards: as one file.
  sharded: { fixedBytes: 1 * MB, bytesPerRow: 80, floorBytes: 16 * MB },
  // 76.7 MB -> 162.3 MB: 265.6 bytes per row (3.3x SQLite's) on a 48 MB empty cluster.
  pglite: { fixedBytes: 48 * MB, bytesPerRow: 266, floorBytes: 64 * MB },
  // The same storage as PGlite (not measured separately); a new database in the portable cluster.
  postgres: { fixedBytes: 48 * MB, bytesPerRow: 266, floorBytes: 64 * MB },
};

/** Room for WAL, indexes rebuilt at the end, and file-system blocks: the estimate is a lower bound. */
const SAFETY = 1.25;

/** Bytes a copy of `rows` rows into `engine` needs free before it starts (the floor included). */
export function neededForCopy(engine: EngineName, rows: number): number {
  const s = TARGET_SPACE[engine];
  return Math.ceil(s.fixedBytes + rows * s.bytesPerRow * SAFETY + s.floorBytes);
}

/**
 * Called before each batch goes to the target: refuses with `disk-full` while the batch still
 * fits, rather than letting the target meet a full disk halfway through a write.
 */
export function spaceGuard(dir: string, engine: EngineName): (rows: number) => void {
  const s = TARGET_SPACE[engine];
  return (rows) => {
    const needed = s.floorBytes + rows * s.bytesPerRow * SAFETY;
    const free = freeDiskBytes(dir);
    if (free < needed) {
      throw new StrataError(
        'disk-full',
        `The disk holding ${dir} is nearly full (${formatBytes(free)} free; the copy keeps at least ${formatBytes(needed)} free). The move is paused and the current store is unchanged. Free some space and run the move again to resume it, or discard the partial copy (strata migrate --discard).`,
        { freeBytes: free, neededBytes: Math.ceil(needed) },
      );
    }
  };
}
