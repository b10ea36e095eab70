/**
 * The tier planner: a pure function from what the database manager measured to what it
 * recommends, with its reasons and estimates. It never moves anything; the manager acts on a
 * recommendation according to the user's setting (automatic moves only where `automatic`).
 *
 * What the benchmarks say (docs/benchmarks.md): one SQLite file serves tens of millions of
 * segments with sub-millisecond lookups; sharding speeds imports up by 1.2-1.4x from about a
 * million segments when a second core is free, and costs below that; PostgreSQL is slower than
 * both on one machine (100k segments/s on the portable server against 336k sharded) and earns
 * its place only when other programs or machines must reach the catalog.
 */
import type { EngineName } from '../../../shared/domain';
import type { Recommendation, TierTarget } from '../../../shared/manager';
import { formatBytes } from '../../../shared/format';
import { engineOf } from '../engines/registry';
import { neededForCopy } from '../migration/target-space';
import { THRESHOLDS as T } from './thresholds';

export interface PlannerInput {
  engine: EngineName;
  shards: number | null;
  segments: number;
  files: number;
  /** Rows of every table: what a move copies. */
  rows: number;
  dbBytes: number;
  segmentsAddedPerDay: number;
  /** p99 of real segment lookups, when the manager has seen enough of them. */
  segmentLookupP99Ms: number | null;
  freeDiskBytes: number;
  cores: number;
  portableServerAvailable: boolean;
  /** The user said other programs or machines need to reach the catalog (a server). */
  needsSharedAccess: boolean;
}

export type { Recommendation, TierTarget };

const count = (n: number): string => n.toLocaleString('en-US');

function bestShards(cores: number): number {
  return Math.min(T.maxShards, Math.max(2, cores * T.shardsPerCore));
}

function moveEstimate(input: PlannerInput, to: EngineName): { ms: number; diskBytes: number } {
  // Time from the copy rate measured into the target engine (its definition's copyCost); disk from the bytes per row measured for the target engine (PGlite writes about 3.3x SQLite's).
  return { ms: Math.round((input.rows / engineOf(to).copyCost.rowsPerSecond) * 1000), diskBytes: neededForCopy(to, input.rows) };
}

function withDisk(input: PlannerInput, rec: Recommendation): Recommendation {
  if (rec.estimate && rec.estimate.diskBytes > input.freeDiskBytes) {
    return { ...rec, automatic: false, blockedBy: `needs about ${formatBytes(rec.estimate.diskBytes)} free beside the catalog; the disk has ${formatBytes(input.freeDiskBytes)}` };
  }
  return rec;
}

const stay = (reasons: string[]): Recommendation => ({ action: 'stay', target: null, automatic: false, reasons, estimate: null, blockedBy: null });

export function planTier(input: PlannerInput): Recommendation {
  const big = input.segments >= T.shardingPaysFromSegments;
  const busy = input.segmentsAddedPerDay >= T.busyImportSegmentsPerDay;
  const slowLookups = input.segmentLookupP99Ms !== null && input.segmentLookupP99Ms >= T.slowSegmentLookupP99Ms;
  // What the catalog is on, by its engine's definition: its tier and whether it is a server.
  const on = engineOf(input.engine);

  if (input.needsSharedAccess && !on.sharedAccess) {
    const reasons = ['Other programs or machines need to reach the catalog, which only a PostgreSQL server allows.'];
    if (!input.portableServerAvailable) reasons.push('The portable server is not available here; connect an existing server in the wizard.');
    return withDisk(input, {
      action: 'move',
      target: { engine: 'postgres' },
      // A server is a bigger change than a file layout: always asked first.
      automatic: false,
      reasons,
      estimate: moveEstimate(input, 'postgres'),
      blockedBy: null,
    });
  }
  // PostgreSQL, embedded or a server.
  if (on.tier === 3) {
    if (!input.needsSharedAccess && big && input.cores >= T.minCoresForSharding) {
      return withDisk(input, {
        action: 'move',
        target: { engine: 'sharded', shards: bestShards(input.cores) },
        automatic: false,
        reasons: [
          `Nothing needs a server, and on this machine the sharded files import faster (336,000 segments/s against 100,000 on PostgreSQL in the benchmarks).`,
        ],
        estimate: moveEstimate(input, 'sharded'),
        blockedBy: null,
      });
    }
    return stay(['The catalog is where the user put it; nothing measured argues for a move.']);
  }

  // One file.
  if (on.tier === 1) {
    if (big && input.cores >= T.minCoresForSharding && (busy || slowLookups)) {
      const reasons = [`The catalog holds ${count(input.segments)} segments, past the ${count(T.shardingPaysFromSegments)} from which sharding measured faster.`];
      if (busy) reasons.push(`It grows by ${count(input.segmentsAddedPerDay)} segments a day; sharded imports ran 1.2-1.4x faster with a second core.`);
      if (slowLookups) reasons.push(`Segment lookups take ${input.segmentLookupP99Ms} ms at the p99; smaller shards kept them at 0.25 ms in the benchmark.`);
      return withDisk(input, {
        action: 'move',
        target: { engine: 'sharded', shards: bestShards(input.cores) },
        automatic: true,
        reasons,
        estimate: moveEstimate(input, 'sharded'),
        blockedBy: null,
      });
    }
    const why = !big
      ? `${count(input.segments)} segments is well within what one file serves fast.`
      : input.cores < T.minCoresForSharding
        ? 'With one core, shard writers would compete with the catalog for it.'
        : 'Imports are rare and lookups are fast: a one-file catalog is simplest to back up and copy.';
    return stay([why]);
  }

  // Sharded SQLite (tier 2).
  if (input.segments < T.downgradeBelowSegments && !busy) {
    return withDisk(input, {
      action: 'move',
      target: { engine: 'sqlite' },
      // A downgrade is always asked.
      automatic: false,
      reasons: [`Only ${count(input.segments)} segments: below ${count(T.downgradeBelowSegments)} the shards cost more than they save (0.82x at 100,000).`],
      estimate: moveEstimate(input, 'sqlite'),
      blockedBy: null,
    });
  }
  const best = bestShards(input.cores);
  const shards = input.shards ?? best;
  if (shards * T.reshardWhenOffBy <= best) {
    const moved = Math.round(input.segments * ((best - shards) / best));
    return withDisk(input, {
      action: 'reshard',
      target: { engine: 'sharded', shards: best },
      automatic: true,
      reasons: [`${shards} shards for ${input.cores} cores; ${best} (two per core) measured best. Only the rows whose shard changes move (about ${count(moved)}).`],
      estimate: { ms: Math.round((moved / T.reshardMovedRowsPerSecond) * 1000), diskBytes: Math.round(input.dbBytes * (moved / Math.max(1, input.segments))) },
      blockedBy: null,
    });
  }
  return stay([`${shards} shards suit ${input.cores} cores and ${count(input.segments)} segments.`]);
}
