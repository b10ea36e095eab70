/**
 * The one handler map: every operation the UI, the CLI and the headless host reach, as
 * 'area/verb' -> argument schema and result type. The database process validates every
 * argument against these schemas before a handler sees it.
 */
import { z } from 'zod';
import type { StoreStats } from '../results';

import {
  attachResultSchema,
  collectionSchema,
  fileDetailSchema,
  fileEntrySchema,
  folderSchema,
  importResultSchema,
  indexResultSchema,
  pageOf,
  searchPageSchema,
  segmentSchema,
  statsSchema,
} from './result-schemas';
import {
  engineSchema,
  managerSettingsSchema,
  managerStatusSchema,
  moveResultSchema,
  plannerInputSchema,
  recommendationSchema,
  serverVerdictSchema,
  storeRefSchema,
} from './manager-schemas';
import type { SerializedError } from '../errors';
import type { MoveProgress, Recommendation, StoreRef } from '../manager';

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const fileState = z.enum(['indexed', 'partial', 'uploaded', 'missing']);

/** What `catalog/stats` answers. */
export type StatsResult = StoreStats;

export const CONTRACT = {
  'collections/list': { args: z.object({}).strict(), result: z.array(collectionSchema) },
  'collections/create': {
    args: z.object({ name: text(500), source: z.enum(['local', 'nzb']), rootPath: text(4096).nullable().optional() }).strict(),
    result: collectionSchema,
  },
  'collections/rename': { args: z.object({ id, name: text(500) }).strict(), result: collectionSchema },
  'collections/delete': { args: z.object({ id }).strict(), result: z.object({ deleted: id }) },
  'folders/list': {
    args: z.object({ collectionId: id, parentId: id.nullable().optional(), limit: z.number().int().optional(), cursor: text(2000).nullable().optional() }).strict(),
    result: pageOf(folderSchema),
  },
  'files/list': {
    args: z
      .object({
        collectionId: id,
        folderId: id.nullable().optional(),
        state: fileState.nullable().optional(),
        sort: z.enum(['name', 'size', 'date', 'state']).optional(),
        direction: z.enum(['asc', 'desc']).optional(),
        limit: z.number().int().optional(),
        cursor: text(2000).nullable().optional(),
      })
      .strict(),
    result: pageOf(fileEntrySchema),
  },
  'files/get': { args: z.object({ fileId: id }).strict(), result: fileDetailSchema },
  'files/segments': {
    args: z.object({ fileId: id, afterNumber: z.number().int().min(0).optional(), limit: z.number().int().optional() }).strict(),
    result: z.array(segmentSchema),
  },
  'search/query': {
    args: z.object({ query: text(1000), collectionId: id.nullable().optional(), limit: z.number().int().optional(), offset: z.number().int().optional() }).strict(),
    result: searchPageSchema,
  },
  'catalog/stats': { args: z.object({ detailed: z.boolean().optional() }).strict(), result: statsSchema },
  'catalog/check': { args: z.object({}).strict(), result: z.object({ ok: z.boolean(), problems: z.array(z.string()), checkedMs: z.number() }) },
  'catalog/backup': { args: z.object({ destination: text(4096).min(1) }).strict(), result: z.object({ path: z.string(), bytes: z.number(), elapsedMs: z.number() }) },
  // Restores into a new store beside the active one, verified, then switched (the old one kept as previous).
  'catalog/restore': {
    args: z.object({ backup: text(4096).min(1) }).strict(),
    result: z.object({
      backup: z.string(),
      kind: z.enum(['sqlite', 'sharded', 'postgres']),
      to: z.object({ engine: z.string(), location: z.string() }),
      tables: z.array(z.object({ table: z.string(), rows: z.number() })),
      recorded: z.boolean(),
      elapsedMs: z.number(),
    }),
  },
  'nzb/import': {
    args: z.object({ collectionId: id, paths: z.array(text(4096).min(1)).min(1).max(100_000) }).strict(),
    result: z.object({
      imported: z.number(),
      duplicates: z.number(),
      failed: z.number(),
      files: z.number(),
      segments: z.number(),
      bytes: z.number(),
      elapsedMs: z.number(),
      results: z.array(importResultSchema),
    }),
  },
  'nzb/export': {
    args: z.object({ collectionId: id, path: text(4096).optional(), destination: text(4096).min(1) }).strict(),
    result: z.object({ path: z.string(), files: z.number(), segments: z.number(), bytes: z.number(), skippedFiles: z.number(), skippedSegments: z.number() }),
  },
  'folder/index': {
    args: z.object({ collectionId: id, root: text(4096).min(1), segmentBytes: z.number().int().optional() }).strict(),
    result: indexResultSchema,
  },
  'nzb/attach': { args: z.object({ collectionId: id, path: text(4096).min(1) }).strict(), result: attachResultSchema },

  // The database manager: what the upgrade wizard shows and does.
  'manager/status': { args: z.object({}).strict(), result: managerStatusSchema },
  'manager/plan': { args: z.object({}).strict(), result: z.object({ input: plannerInputSchema, recommendation: recommendationSchema }) },
  'manager/settings': { args: managerSettingsSchema.partial().strict(), result: managerSettingsSchema },
  'migration/start': {
    args: z
      .object({ to: engineSchema, shards: z.number().int().min(1).max(256).optional(), url: text(4096).min(1).optional() })
      .strict()
      .refine((a) => a.url === undefined || a.to === 'postgres', { message: 'a server connection string goes with a move to postgres' }),
    result: moveResultSchema,
  },
  'migration/cancel': { args: z.object({}).strict(), result: z.object({ cancelled: z.boolean() }) },
  'migration/rollback': { args: z.object({ force: z.boolean().optional() }).strict(), result: storeRefSchema },
  'migration/discard': { args: z.object({}).strict(), result: z.object({ discarded: storeRefSchema.nullable() }) },
  'stores/remove-previous': { args: z.object({}).strict(), result: z.object({ removed: storeRefSchema }) },
  'server/check': { args: z.object({ url: text(4096).min(1) }).strict(), result: serverVerdictSchema },
} as const;

export type Channel = keyof typeof CONTRACT;
export type Args<C extends Channel> = z.input<(typeof CONTRACT)[C]['args']>;
export type ParsedArgs<C extends Channel> = z.output<(typeof CONTRACT)[C]['args']>;
export type Result<C extends Channel> = z.output<(typeof CONTRACT)[C]['result']>;

export const CHANNELS = Object.keys(CONTRACT) as Channel[];

/** Progress of a long call, streamed as an event while the call runs. */
export interface ProgressEvent {
  callId: number;
  channel: Channel;
  progress: Record<string, string | number | boolean>;
}

export interface EventMap {
  'call/progress': ProgressEvent;
  /** The database process (re)started or stopped; the UI shows what happened. */
  'db/status': { state: 'starting' | 'ready' | 'restarting' | 'stopped'; detail?: string };
  /** A move between tiers, throttled by the manager (several a second at most). */
  'migration/progress': MoveProgress;
  'migration/ended': { ok: boolean; kind: 'migrate' | 'reshard'; to: StoreRef | null; rows: number; elapsedMs: number; automatic: boolean; error: SerializedError | null };
  /** The planner advises a move (automatic ones follow by themselves at a quiet moment). */
  'manager/recommendation': Recommendation;
  'manager/store-changed': { store: StoreRef; reason: 'migrated' | 'rolled-back' | 'resharded' | 'restored' };
}
export type EventName = keyof EventMap;
