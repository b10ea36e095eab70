/**
 * Schemas of what the database manager answers and announces (the upgrade wizard's data), each
 * typed against its interface in shared/manager.ts so the two cannot drift apart.
 */
import { z } from 'zod';
import type { EngineName } from '../domain';
import type {
  LastBackup,
  LatencySummary,
  LiveStats,
  MovePreflight,
  ManagerSettings,
  ManagerStatus,
  MoveProgress,
  Recommendation,
  StoreRef,
  TierTarget,
} from '../manager';

const count = z.number().int().nonnegative();
const ms = z.number().nonnegative();
export const engineSchema: z.ZodType<EngineName> = z.enum(['sqlite', 'sharded', 'pglite', 'postgres']);
const shards = z.number().int().min(1).max(256);

export const managerSettingsSchema = z.object({
  simpleMoves: z.enum(['automatic', 'ask']),
  otherMoves: z.enum(['automatic', 'ask']),
  sharedAccess: z.boolean(),
}) satisfies z.ZodType<ManagerSettings>;

export const tierTargetSchema: z.ZodType<TierTarget> = z.object({ engine: engineSchema, shards: shards.optional() });

export const recommendationSchema: z.ZodType<Recommendation> = z.object({
  action: z.enum(['stay', 'move', 'reshard']),
  target: tierTargetSchema.nullable(),
  automatic: z.boolean(),
  reasons: z.array(z.string()),
  estimate: z.object({ ms, diskBytes: count }).nullable(),
  blockedBy: z.string().nullable(),
});

export const storeRefSchema: z.ZodType<StoreRef> = z.object({
  engine: engineSchema,
  location: z.string(),
  server: z.enum(['portable', 'existing']).nullable(),
});

export const moveProgressSchema: z.ZodType<MoveProgress> = z.object({
  kind: z.enum(['migrate', 'reshard']),
  from: storeRefSchema,
  to: tierTargetSchema,
  automatic: z.boolean(),
  phase: z.enum(['preflight', 'copy', 'index', 'verify', 'switch', 'cleanup', 'done']),
  table: z.string().nullable(),
  rows: count,
  totalRows: count,
  bytes: count,
  rowsPerSecond: z.number().nonnegative(),
  etaMs: ms.nullable(),
  elapsedMs: ms,
});

const latencySchema: z.ZodType<LatencySummary> = z.object({ count, p50Ms: ms.nullable(), p95Ms: ms.nullable(), p99Ms: ms.nullable() });

export const liveStatsSchema: z.ZodType<LiveStats> = z.object({
  segments: count,
  files: count,
  dbBytes: count,
  segmentsAddedPerDay: count,
  latencies: z.object({ segments: latencySchema, page: latencySchema, search: latencySchema }),
  sampledAt: z.number(),
});

export const lastBackupSchema: z.ZodType<LastBackup> = z.object({ at: z.number(), path: z.string(), bytes: count });

export const managerStatusSchema: z.ZodType<ManagerStatus> = z.object({
  store: storeRefSchema,
  readOnly: z.object({ path: z.string(), reason: z.string() }).nullable(),
  previous: storeRefSchema.nullable(),
  previousBytes: count.nullable(),
  lastBackup: lastBackupSchema.nullable(),
  rollbackSafe: z.boolean(),
  activity: z.enum(['idle', 'moving', 'switching']),
  move: moveProgressSchema.nullable(),
  interrupted: z.object({ to: storeRefSchema, paused: z.boolean(), reason: z.string().nullable() }).nullable(),
  settings: managerSettingsSchema,
  live: liveStatsSchema,
  recommendation: recommendationSchema.nullable(),
  plannedAt: z.number().nullable(),
});

export const moveResultSchema = z.object({
  kind: z.enum(['migrate', 'reshard']),
  from: storeRefSchema,
  to: storeRefSchema,
  rows: count,
  resumed: z.boolean(),
  verified: z.boolean(),
  elapsedMs: ms,
  tables: z.array(z.object({ table: z.string(), rows: count, digest: z.string() })),
});

export const plannerInputSchema = z.object({
  engine: engineSchema,
  shards: z.number().int().nullable(),
  segments: count,
  files: count,
  rows: count,
  dbBytes: count,
  segmentsAddedPerDay: count,
  segmentLookupP99Ms: ms.nullable(),
  freeDiskBytes: count,
  cores: count,
  portableServerAvailable: z.boolean(),
  needsSharedAccess: z.boolean(),
});

export const serverVerdictSchema = z.object({
  ok: z.boolean(),
  server: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  versionSupported: z.boolean(),
  canCreateTables: z.boolean(),
  citus: z.enum(['absent', 'available', 'installed']),
  segments: z.enum(['hash-partitions', 'citus-distributed']),
  notes: z.array(z.string()),
  problems: z.array(z.string()),
});

export const movePreflightSchema: z.ZodType<MovePreflight> = z.object({
  to: tierTargetSchema,
  server: z.enum(['portable', 'existing']).nullable(),
  kind: z.enum(['migrate', 'reshard']),
  rows: count,
  sourceBytes: count,
  neededBytes: count,
  freeBytes: count,
  remote: z.boolean(),
  fits: z.boolean(),
  estimateMs: ms,
  refusal: z.string().nullable(),
  notes: z.array(z.string()),
});
