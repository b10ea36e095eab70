/**
 * Gathers the planner's input from a live store and the machine. Growth and observed latencies
 * come from the database manager's running statistics; a caller without them (the CLI) passes
 * what it knows and the planner treats the rest as quiet.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { CatalogReader } from '../store';
import { postgresResourcesDir } from '../portable-server/resources-dir';
import { currentPlatform, manifestPath } from '../portable-server/manifest';
import { freeDiskBytes } from '../free-disk';
import { engineOf } from '../engines/registry';
import { estimatedCopyRows } from '../migration/copy-store';
import type { PlannerInput } from './plan-tier';

export interface ObservedActivity {
  segmentsAddedPerDay?: number;
  segmentLookupP99Ms?: number | null;
  needsSharedAccess?: boolean;
}

export async function gatherPlannerInput(store: CatalogReader, dataDir: string, observed: ObservedActivity = {}): Promise<PlannerInput> {
  // Per-shard figures only where there are shards: they give the shard count.
  const stats = await store.stats({ detailed: engineOf(store.capabilities.engine).shards !== null });
  return {
    engine: store.capabilities.engine,
    shards: stats.shards ? stats.shards.length : null,
    segments: stats.segments,
    files: stats.files,
    rows: estimatedCopyRows(stats),
    dbBytes: stats.dbBytes,
    segmentsAddedPerDay: observed.segmentsAddedPerDay ?? 0,
    segmentLookupP99Ms: observed.segmentLookupP99Ms ?? null,
    freeDiskBytes: freeDiskBytes(dataDir),
    cores: os.availableParallelism(),
    portableServerAvailable: fs.existsSync(manifestPath(postgresResourcesDir(), currentPlatform())),
    needsSharedAccess: observed.needsSharedAccess ?? false,
  };
}
