/**
 * Schemas of every result the handler map returns. The client parses each answer with the
 * schema of its channel, so a page only ever works with data of the declared shape; each
 * schema is typed against the domain interface it describes, so the two cannot drift apart.
 */
import { z } from 'zod';
import type { Collection, FileDetail, FileEntry, Folder, NzbSource, Page, SearchPage, Segment } from '../domain';
import type { AttachResult, IndexResult, NzbImportResult, StoreStats } from '../results';

const count = z.number().int().nonnegative();
const num = z.number();
const nullableText = z.string().nullable();
const nullableNum = z.number().nullable();

export const collectionSchema: z.ZodType<Collection> = z.object({
  id: count,
  uid: z.string(),
  name: z.string(),
  rootPath: nullableText,
  source: z.enum(['local', 'nzb']),
  createdAt: num,
  folderCount: count,
  fileCount: count,
  segmentCount: count,
  bytes: count,
  uploadedSegments: count,
  missingSegments: count,
});

export const folderSchema: z.ZodType<Folder> = z.object({
  id: count,
  collectionId: count,
  parentId: nullableNum,
  name: z.string(),
  fileCount: count,
  bytes: count,
  folderCount: count,
});

const fileEntryShape = {
  id: count,
  collectionId: count,
  folderId: count,
  name: z.string(),
  relPath: z.string(),
  size: count,
  mtime: nullableNum,
  contentHash: nullableText,
  subject: nullableText,
  poster: nullableText,
  postedAt: nullableNum,
  segmentCount: count,
  bytes: count,
  uploadedCount: count,
  missingCount: count,
  duplicateCount: count,
  state: z.enum(['indexed', 'partial', 'uploaded', 'missing']),
  nzbSourceId: nullableNum,
};
export const fileEntrySchema: z.ZodType<FileEntry> = z.object(fileEntryShape);
export const fileDetailSchema: z.ZodType<FileDetail> = z.object({
  ...fileEntryShape,
  groups: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

export const segmentSchema: z.ZodType<Segment> = z.object({
  fileId: count,
  number: count,
  bytes: count,
  hash: nullableText,
  messageId: nullableText,
  state: z.enum(['indexed', 'uploaded', 'missing']),
  uploadedAt: nullableNum,
});

export const nzbSourceSchema: z.ZodType<NzbSource> = z.object({
  id: count,
  collectionId: count,
  fileName: z.string(),
  dupeKey: z.string(),
  title: nullableText,
  category: nullableText,
  passwords: z.array(z.string()),
  tags: z.array(z.string()),
  meta: z.record(z.string(), z.array(z.string())),
  importedAt: num,
  contentHash: nullableText,
  complete: z.boolean(),
});

export const pageOf = <T>(item: z.ZodType<T>): z.ZodType<Page<T>> => z.object({ items: z.array(item), nextCursor: nullableText });

export const searchPageSchema: z.ZodType<SearchPage> = z.object({
  hits: z.array(z.object({ file: fileEntrySchema, score: num })),
  nextOffset: nullableNum,
});

export const statsSchema: z.ZodType<StoreStats> = z.object({
  tier: count,
  engine: z.string(),
  location: z.string(),
  schemaVersion: count,
  collections: count,
  folders: count,
  files: count,
  segments: count,
  bytes: count,
  dbBytes: count,
  tables: z.array(z.object({ name: z.string(), bytes: count })).optional(),
  shards: z
    .array(z.object({ index: count, file: z.string(), bytes: count, segments: nullableNum, problem: z.string().optional() }))
    .optional(),
});

const problem = z.object({ path: z.string(), reason: z.string() });
const mismatch = z.object({ file: z.string(), reason: z.string() });
const errorShape = z.object({ name: z.string(), code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() });

export const importResultSchema: z.ZodType<NzbImportResult> = z.object({
  file: z.string(),
  status: z.enum(['imported', 'duplicate', 'failed', 'cancelled']),
  folder: nullableText,
  sourceId: nullableNum,
  files: count,
  segments: count,
  bytes: count,
  passwords: z.array(z.string()),
  warnings: z.object({
    emptyFiles: count,
    invalidSegments: count,
    duplicateSegments: count,
    missingSegments: count,
    emptyGroups: count,
    invalidMessageIds: count,
    invalidGroups: count,
    duplicateFiles: count,
  }),
  error: errorShape.optional(),
});

export const indexResultSchema: z.ZodType<IndexResult> = z.object({
  collectionId: count,
  filesSeen: count,
  added: count,
  replaced: count,
  touched: count,
  unchanged: count,
  gone: z.array(z.string()),
  segments: count,
  bytesHashed: count,
  problems: z.array(problem),
  elapsedMs: num,
});

export const attachResultSchema: z.ZodType<AttachResult> = z.object({
  nzbFiles: count,
  matchedFiles: count,
  attachedSegments: count,
  unmatched: z.array(mismatch),
  segmentProblems: z.array(mismatch),
});
