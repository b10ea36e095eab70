/**
 * The one handler map: every operation the UI, the CLI and the headless host reach, as
 * 'area/verb' -> argument schema and result type. The database process validates every
 * argument against these schemas before a handler sees it.
 */
import { z } from 'zod';
import type { StoreStats } from '../results';
import { LIMITS } from '../limits';

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
  movePreflightSchema,
  moveResultSchema,
  plannerInputSchema,
  recommendationSchema,
  serverVerdictSchema,
  storeRefSchema,
} from './manager-schemas';
import {
  downloadSchema,
  uploadBeginArgs,
  uploadBeginResult,
  uploadChunkArgs,
  uploadFinishResult,
  uploadIdArgs,
  uploadIdSchema,
} from './transfer-schemas';
import { appInfoSchema, portableStatusSchema, sampleArgs, sampleResultSchema } from './app-schemas';
import type { SerializedError } from '../errors';
import type { MoveProgress, Recommendation, StoreRef } from '../manager';

const integrityReportSchema = z.object({ ok: z.boolean(), problems: z.array(z.string()), checkedMs: z.number() });
const repairReportSchema = z.object({
  orphanSegments: z.number(),
  files: z.number(),
  folders: z.number(),
  collections: z.number(),
  fullTextRebuilt: z.boolean(),
  unrepaired: z.array(z.string()),
  elapsedMs: z.number(),
});

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const fileState = z.enum(['indexed', 'partial', 'uploaded', 'missing']);

/** What `catalog/stats` answers. */
export type StatsResult = StoreStats;

export const CONTRACT = {
  'collections/list': { args: z.object({}).strict(), result: z.array(collectionSchema) },
  'collections/create': {
    args: z.object({ name: text(LIMITS.collectionName), source: z.enum(['local', 'nzb']), rootPath: text(4096).nullable().optional() }).strict(),
    result: collectionSchema,
  },
  'collections/rename': { args: z.object({ id, name: text(LIMITS.collectionName) }).strict(), result: collectionSchema },
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
        sort: z.enum(['name', 'size', 'segments', 'date', 'state']).optional(),
        direction: z.enum(['asc', 'desc']).optional(),
        limit: z.number().int().optional(),
        cursor: text(2000).nullable().optional(),
        // A seek: the page starts at this row of the list in its order (a jump to a far row is
        // one request, not a walk of pages). Only without a cursor; the store refuses both.
        offset: z.number().int().min(0).max(LIMITS.listOffset).optional(),
      })
      .strict(),
    result: pageOf(fileEntrySchema),
  },
  'files/delete': {
    args: z.object({ fileIds: z.array(id).min(1).max(LIMITS.deleteFiles) }).strict(),
    result: z.object({ files: z.number().int().nonnegative(), segments: z.number().int().nonnegative() }),
  },
  'files/get': { args: z.object({ fileId: id }).strict(), result: fileDetailSchema },
  'files/segments': {
    args: z.object({ fileId: id, afterNumber: z.number().int().min(0).optional(), limit: z.number().int().optional() }).strict(),
    result: z.array(segmentSchema),
  },
  'search/query': {
    args: z
      .object({
        query: text(LIMITS.searchQuery),
        collectionId: id.nullable().optional(),
        // Filtered in the query, so a page of hits is a full page of files in that state.
        state: fileState.nullable().optional(),
        limit: z.number().int().optional(),
        offset: z.number().int().optional(),
      })
      .strict(),
    result: searchPageSchema,
  },
  'catalog/stats': { args: z.object({ detailed: z.boolean().optional() }).strict(), result: statsSchema },
  'catalog/check': { args: z.object({}).strict(), result: integrityReportSchema },
  // Fixes what a check found and the rows can settle, then checks again (writes resume once a check passes).
  'catalog/repair': { args: z.object({}).strict(), result: z.object({ repair: repairReportSchema, check: integrityReportSchema }) },
  'catalog/backup': { args: z.object({ destination: text(4096).min(1) }).strict(), result: z.object({ path: z.string(), bytes: z.number(), elapsedMs: z.number(), download: downloadSchema.optional() }) },
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
    // Paths on the host's machine, or uploads a browser sent first (uploads/begin, chunk, finish).
    args: z
      .object({ collectionId: id, paths: z.array(text(4096).min(1)).max(100_000).optional(), uploads: z.array(uploadIdSchema).max(1000).optional() })
      .strict()
      .refine((a) => (a.paths?.length ?? 0) + (a.uploads?.length ?? 0) > 0, { message: 'name at least one NZB path or upload' }),
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
    result: z.object({ path: z.string(), files: z.number(), segments: z.number(), bytes: z.number(), skippedFiles: z.number(), skippedSegments: z.number(), download: downloadSchema.optional() }),
  },
  'folder/index': {
    args: z.object({ collectionId: id, root: text(4096).min(1), segmentBytes: z.number().int().optional() }).strict(),
    result: indexResultSchema,
  },
  'uploads/begin': { args: uploadBeginArgs, result: uploadBeginResult },
  'uploads/chunk': { args: uploadChunkArgs, result: z.object({ received: z.number() }) },
  'uploads/finish': { args: uploadIdArgs, result: uploadFinishResult },
  'uploads/discard': { args: uploadIdArgs, result: z.object({ discarded: z.boolean() }) },
  'nzb/attach': { args: z.object({ collectionId: id, path: text(4096).min(1) }).strict(), result: attachResultSchema },

  // The database manager: what the upgrade wizard shows and does.
  'manager/status': { args: z.object({}).strict(), result: managerStatusSchema },
  'manager/plan': { args: z.object({}).strict(), result: z.object({ input: plannerInputSchema, recommendation: recommendationSchema }) },
  'manager/settings': { args: managerSettingsSchema.partial().strict(), result: managerSettingsSchema },
  /** What a move would take (disk, time) and whether it can start now; changes nothing. */
  'migration/preflight': {
    args: z
      .object({ to: engineSchema, shards: z.number().int().min(1).max(256).optional(), url: text(4096).min(1).optional() })
      .strict()
      .refine((a) => a.url === undefined || a.to === 'postgres', { message: 'a server connection string goes with a move to postgres' }),
    result: movePreflightSchema,
  },
  'migration/start': {
    args: z
      .object({
        to: engineSchema,
        shards: z.number().int().min(1).max(256).optional(),
        url: text(4096).min(1).optional(),
        /** The move outlives this call: a closed page or a lost connection does not pause it (only migration/cancel does). */
        detach: z.boolean().optional(),
      })
      .strict()
      .refine((a) => a.url === undefined || a.to === 'postgres', { message: 'a server connection string goes with a move to postgres' }),
    result: moveResultSchema,
  },
  'migration/cancel': { args: z.object({}).strict(), result: z.object({ cancelled: z.boolean() }) },
  'migration/rollback': { args: z.object({ force: z.boolean().optional() }).strict(), result: storeRefSchema },
  'migration/discard': { args: z.object({}).strict(), result: z.object({ discarded: storeRefSchema.nullable() }) },
  'stores/remove-previous': { args: z.object({}).strict(), result: z.object({ removed: storeRefSchema }) },
  'server/check': { args: z.object({ url: text(4096).min(1) }).strict(), result: serverVerdictSchema },

  // Settings and first run.
  'app/info': { args: z.object({}).strict(), result: appInfoSchema },
  /** A generated sample collection to look around in (first run), bounded in size. */
  'catalog/sample': { args: sampleArgs, result: sampleResultSchema },
  /** The portable PostgreSQL server's status; the connection string's password only with `reveal`. */
  'server/portable-status': { args: z.object({ reveal: z.boolean().optional() }).strict(), result: portableStatusSchema },
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
  'db/status': { state: 'starting' | 'ready' | 'restarting' | 'stopped'; detail?: string; readOnly?: boolean };
  /** A move between tiers, throttled by the manager (several a second at most). */
  'migration/progress': MoveProgress;
  'migration/ended': { ok: boolean; kind: 'migrate' | 'reshard'; to: StoreRef | null; rows: number; elapsedMs: number; automatic: boolean; error: SerializedError | null };
  /** The planner advises a move (automatic ones follow by themselves at a quiet moment). */
  'manager/recommendation': Recommendation;
  'manager/store-changed': { store: StoreRef; reason: 'migrated' | 'rolled-back' | 'resharded' | 'restored' };
  /**
   * A write landed in the catalog, whoever made it (another window, a browser on the host, the
   * CLI through the owner): every page re-reads, so nothing shows what was true before it.
   */
  'catalog/changed': { what: string };
  /** The data folder's owner is closing normally; every call it accepted has been answered. */
  'owner/goodbye': Record<string, never>;
}
export type EventName = keyof EventMap;
