/**
 * The one handler map: every operation the UI, the CLI and the headless host reach, as
 * 'area/verb' -> argument schema and result type. The database process validates every
 * argument against these schemas before a handler sees it.
 */
import { z } from 'zod';
import type { Collection, FileDetail, FileEntry, Folder, Page, SearchPage, Segment } from '../domain';
import type { AttachResult, IndexResult, NzbImportResult, StoreStats } from '../results';

/** Carries a result type through the map without a runtime schema (results come from our own process). */
const returns = <T>(): T => undefined as unknown as T;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);
const fileState = z.enum(['indexed', 'partial', 'uploaded', 'missing']);

/** What `catalog/stats` answers. */
export type StatsResult = StoreStats;

export const CONTRACT = {
  'collections/list': { args: z.object({}).strict(), result: returns<Collection[]>() },
  'collections/create': {
    args: z.object({ name: text(500), source: z.enum(['local', 'nzb']), rootPath: text(4096).nullable().optional() }).strict(),
    result: returns<Collection>(),
  },
  'collections/rename': { args: z.object({ id, name: text(500) }).strict(), result: returns<Collection>() },
  'collections/delete': { args: z.object({ id }).strict(), result: returns<{ deleted: number }>() },
  'folders/list': {
    args: z.object({ collectionId: id, parentId: id.nullable().optional(), limit: z.number().int().optional(), cursor: text(2000).nullable().optional() }).strict(),
    result: returns<Page<Folder>>(),
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
    result: returns<Page<FileEntry>>(),
  },
  'files/get': { args: z.object({ fileId: id }).strict(), result: returns<FileDetail>() },
  'files/segments': {
    args: z.object({ fileId: id, afterNumber: z.number().int().min(0).optional(), limit: z.number().int().optional() }).strict(),
    result: returns<Segment[]>(),
  },
  'search/query': {
    args: z.object({ query: text(1000), collectionId: id.nullable().optional(), limit: z.number().int().optional(), offset: z.number().int().optional() }).strict(),
    result: returns<SearchPage>(),
  },
  'catalog/stats': { args: z.object({ detailed: z.boolean().optional() }).strict(), result: returns<StatsResult>() },
  'catalog/check': { args: z.object({}).strict(), result: returns<{ ok: boolean; problems: string[]; checkedMs: number }>() },
  'catalog/backup': { args: z.object({ destination: text(4096).min(1) }).strict(), result: returns<{ path: string; bytes: number; elapsedMs: number }>() },
  'nzb/import': {
    args: z.object({ collectionId: id, paths: z.array(text(4096).min(1)).min(1).max(100_000) }).strict(),
    result: returns<{
      imported: number;
      duplicates: number;
      failed: number;
      files: number;
      segments: number;
      bytes: number;
      elapsedMs: number;
      results: NzbImportResult[];
    }>(),
  },
  'nzb/export': {
    args: z.object({ collectionId: id, path: text(4096).optional(), destination: text(4096).min(1) }).strict(),
    result: returns<{ path: string; files: number; segments: number; bytes: number; skippedFiles: number; skippedSegments: number }>(),
  },
  'folder/index': {
    args: z.object({ collectionId: id, root: text(4096).min(1), segmentBytes: z.number().int().optional() }).strict(),
    result: returns<IndexResult>(),
  },
  'nzb/attach': { args: z.object({ collectionId: id, path: text(4096).min(1) }).strict(), result: returns<AttachResult>() },
} as const;

export type Channel = keyof typeof CONTRACT;
export type Args<C extends Channel> = z.input<(typeof CONTRACT)[C]['args']>;
export type ParsedArgs<C extends Channel> = z.output<(typeof CONTRACT)[C]['args']>;
export type Result<C extends Channel> = (typeof CONTRACT)[C]['result'];

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
}
export type EventName = keyof EventMap;
