/**
 * The planner's thresholds, each from a measurement in docs/benchmarks.md (2-core machine).
 * Change a number here only with the benchmark that justifies it.
 */
export const THRESHOLDS = {
  /** Below this, sharding costs: 0.82x the one-file ingest at 100k segments (tier 2, 4 shards). */
  shardingPaysFromSegments: 1_000_000,
  /** At and above 1M, sharded ingest ran 1.34-1.41x (1M) and 1.22x (10M) with a second core free. */
  minCoresForSharding: 2,
  /** Imports that keep the catalog growing by this much a day make ingest speed matter. */
  busyImportSegmentsPerDay: 1_000_000,
  /**
   * One file answers segment lookups in 0.12 ms (p50) / 0.6 ms (p99) warm at 10M; an observed
   * p99 far above that means lookups are disk-bound, which smaller shard B-trees help (0.25 ms p99).
   */
  slowSegmentLookupP99Ms: 5,
  /** 4 shards on 2 cores measured best (1.41x); 8 was slower (1.34x): two shards per core. */
  shardsPerCore: 2,
  maxShards: 16,
  /** A shard count is worth changing only when it is this far from the best one. */
  reshardWhenOffBy: 2,
  /** Below this a sharded store gains nothing from its shards (see shardingPaysFromSegments). */
  downgradeBelowSegments: 200_000,
  /** Re-sharding 4 -> 8 at 10M moved 137,000 rows/s. */
  reshardMovedRowsPerSecond: 137_000,
} as const;
