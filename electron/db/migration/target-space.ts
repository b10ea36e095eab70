/**
 * How much disk a copy into an engine needs, from the engine's measured copy cost (its
 * definition's `copyCost`, docs/benchmarks.md "Bytes per row by target"): a fixed part (an
 * empty PGlite cluster is 48 MB) and a part that grows with the rows copied (estimatedCopyRows:
 * segments, files twice, folders, collections), plus the floor the copy never goes below.
 */
import type { EngineName } from '../../../shared/domain';
import { StrataError } from '../../../shared/errors';
import { formatBytes } from '../../../shared/format';
import { engineOf } from '../engines/registry';
import { freeDiskBytes } from '../free-disk';

/** Room for WAL, indexes rebuilt at the end, and file-system blocks: the estimate is a lower bound. */
const SAFETY = 1.25;

/** Bytes a copy of `rows` rows into `engine` needs free before it starts (the floor included). */
export function neededForCopy(engine: EngineName, rows: number): number {
  const s = engineOf(engine).copyCost;
  return Math.ceil(s.fixedBytes + rows * s.bytesPerRow * SAFETY + s.floorBytes);
}

/**
 * Called before each batch goes to the target: refuses with `disk-full` while the batch still
 * fits, rather than letting the target meet a full disk halfway through a write.
 */
export function spaceGuard(dir: string, engine: EngineName): (rows: number) => void {
  const s = engineOf(engine).copyCost;
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
