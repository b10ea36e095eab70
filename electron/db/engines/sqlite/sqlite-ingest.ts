/**
 * The bulk write path of tier 1: one transaction per batch, in which files, their segments,
 * the full-text rows and every counter (file, folder, collection) change together. A crash
 * leaves the last committed batch, with counters that match the rows.
 */
import { StrataError, invalidArgument, notFound } from '../../../../shared/errors';
import { SEGMENT_STATES, type SegmentState } from '../../../../shared/domain';
import { SEGMENT_MISSING, SEGMENT_UPLOADED, deriveFileState, segmentStateCode } from '../../state-codes';
import type { AppendResult, IngestBatch, IngestFile, IngestSegment, NzbSourceInput, OnExisting, SegmentAppend } from '../../store';
import { appendTargetOf, planAppend } from '../../segment-append';
import { checkIngestFile } from '../../validate';
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from './open-database';
import { sqliteCode } from './sqlite-errors';

import type { BatchOutcome } from '../../store-front/engine-core';
export type { BatchOutcome } from '../../store-front/engine-core';

interface FolderDelta {
  files: number;
  bytes: number;
  folders: number;
}

interface CollectionDelta {
  folders: number;
  files: number;
  segments: number;
  bytes: number;
  uploaded: number;
  missing: number;
}

/**
 * Segments per multi-row INSERT. One statement step per 64 rows instead of per row removes
 * most of the per-call cost of the native binding (see docs/benchmarks.md, "segment insert").
 */
const SEGMENT_ROWS_PER_INSERT = 64;
const SEGMENT_COLUMNS = 7;

const emptyCollectionDelta = (): CollectionDelta => ({ folders: 0, files: 0, segments: 0, bytes: 0, uploaded: 0, missing: 0 });

/** Bounds the folder cache of one writer; a catalog can have millions of folders. */
const FOLDER_CACHE_LIMIT = 50_000;

type Statement = Database.Statement<unknown[]>;

/**
 * How a tier that keeps segments elsewhere (the sharded tier) plugs into this writer: it
 * receives each file's segments instead of the local table, and hands out file ids that are
 * never reused, because segments of a removed file may outlive it in a shard for a while.
 */
export interface IngestWriterHooks {
  writeSegments(fileId: number, segments: IngestSegment[], states: Uint8Array): void;
  allocateFileId(): number;
  /** Takes each file's full-text row instead of the local index (the sharded tier's search file). */
  writeSearchRow?(fileId: number, name: string, folder: string, subject: string | null): void;
}

/** A given segment state's code; an unknown one is refused with the states there are. */
export function segmentStateCodeOf(state: SegmentState): number {
  const code = segmentStateCode(state);
  if (code < 0) throw invalidArgument(`A segment state is one of ${SEGMENT_STATES.join(', ')}; got ${JSON.stringify(state)}.`);
  return code;
}

export class SqliteIngestWriter {
  private readonly folderIds = new Map<string, number>();
  private readonly groupIds = new Map<string, number>();
  private readonly sourceIds = new Map<string, number>();
  private readonly blockParams: unknown[] = new Array(SEGMENT_ROWS_PER_INSERT * SEGMENT_COLUMNS);
  private readonly leanParams: unknown[] = new Array(SEGMENT_ROWS_PER_INSERT * 4);
  private readonly sharedParams = { f: 0, n: 0 };
  private states = new Uint8Array(1024);
  private readonly s: Record<
    | 'insertFile'
    | 'insertFileSkip'
    | 'insertFts'
    | 'insertSegment'
    | 'insertSegmentBlock'
    | 'insertSegmentLean'
    | 'findFolder'
    | 'insertFolder'
    | 'rootFolder'
    | 'bumpFolder'
    | 'bumpCollection'
    | 'collectionState'
    | 'findGroup'
    | 'insertGroup'
    | 'insertFileGroup'
    | 'findSource'
    | 'insertSource'
    | 'findFileByPath',
    Statement
  >;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly collectionId: number,
    private readonly onExisting: OnExisting,
    private readonly removeFile: (fileId: number) => void,
    private readonly hooks: IngestWriterHooks | null = null,
  ) {
    const fileColumns = `${hooks ? 'id, ' : ''}collection_id, folder_id, nzb_source_id, name, rel_path, size, mtime, sort_date, content_hash, subject, poster, posted_at, segment_count, bytes, uploaded_count, missing_count, duplicate_count, state, metadata`;
    const fileValues = `${hooks ? '?, ' : ''}?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`;
    this.s = {
      insertFile: db.prepare(`INSERT INTO files (${fileColumns}) VALUES (${fileValues})`),
      insertFileSkip: db.prepare(
        `INSERT INTO files (${fileColumns}) VALUES (${fileValues}) ON CONFLICT (collection_id, rel_path) DO NOTHING`,
      ),
      insertFts: db.prepare('INSERT INTO files_fts (rowid, name, folder, subject) VALUES (?, ?, ?, ?)'),
      insertSegment: db.prepare(
        'INSERT INTO segments (file_id, number, bytes, state, hash, message_id, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      insertSegmentBlock: db.prepare(
        `INSERT INTO segments (file_id, number, bytes, state, hash, message_id, uploaded_at) VALUES ${Array.from(
          { length: SEGMENT_ROWS_PER_INSERT },
          () => '(?, ?, ?, ?, ?, ?, ?)',
        ).join(', ')}`,
      ),
      insertSegmentLean: db.prepare(
        `INSERT INTO segments (file_id, number, bytes, state, hash, message_id, uploaded_at) VALUES ${Array.from(
          { length: SEGMENT_ROWS_PER_INSERT },
          (_, k) => `(@f, @n + ${k}, ?, ?, ?, ?, NULL)`,
        ).join(', ')}`,
      ),
      findFolder: db.prepare('SELECT id FROM folders WHERE parent_id = ? AND name = ? COLLATE BINARY'),
      insertFolder: db.prepare('INSERT INTO folders (collection_id, parent_id, name) VALUES (?, ?, ?)'),
      rootFolder: db.prepare('SELECT id FROM folders WHERE collection_id = ? AND parent_id IS NULL'),
      bumpFolder: db.prepare(
        'UPDATE folders SET file_count = file_count + ?, bytes = bytes + ?, folder_count = folder_count + ? WHERE id = ?',
      ),
      bumpCollection: db.prepare(
        `UPDATE collections SET folder_count = folder_count + ?, file_count = file_count + ?, segment_count = segment_count + ?,
           bytes = bytes + ?, uploaded_segments = uploaded_segments + ?, missing_segments = missing_segments + ? WHERE id = ?`,
      ),
      collectionState: db.prepare('SELECT deleting FROM collections WHERE id = ?'),
      findGroup: db.prepare('SELECT id FROM groups WHERE name = ?'),
      insertGroup: db.prepare('INSERT INTO groups (name) VALUES (?)'),
      insertFileGroup: db.prepare('INSERT OR IGNORE INTO file_groups (file_id, group_id) VALUES (?, ?)'),
      findSource: db.prepare('SELECT id FROM nzb_sources WHERE collection_id = ? AND dupe_key = ?'),
      insertSource: db.prepare(
        `INSERT INTO nzb_sources (collection_id, file_name, dupe_key, title, category, passwords, tags, meta, imported_at, content_hash, complete)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      findFileByPath: db.prepare('SELECT id FROM files WHERE collection_id = ? AND rel_path = ?'),
    };
  }

  /** Runs inside the caller's transaction. Caches are dropped by `forgetUncommitted` on rollback. */
  writeBatch(batch: IngestBatch): BatchOutcome {
    const state = this.s.collectionState.get(this.collectionId) as { deleting: number } | undefined;
    if (!state || state.deleting) {
      throw notFound(`Collection ${this.collectionId} does not exist (it may have been deleted meanwhile).`);
    }
    if (!batch || !Array.isArray(batch.files)) throw invalidArgument('An ingest batch must have a list of files.');
    for (const source of batch.sources ?? []) this.upsertSource(source);

    const outcome: BatchOutcome = { files: 0, segments: 0, bytes: 0, skippedFiles: 0, replacedFiles: 0 };
    const folderDeltas = new Map<number, FolderDelta>();
    const collection = emptyCollectionDelta();
    for (const file of batch.files) {
      this.writeFile(file, outcome, folderDeltas, collection);
    }
    for (const [folderId, d] of folderDeltas) this.s.bumpFolder.run(d.files, d.bytes, d.folders, folderId);
    this.s.bumpCollection.run(
      collection.folders,
      collection.files,
      collection.segments,
      collection.bytes,
      collection.uploaded,
      collection.missing,
      this.collectionId,
    );
    return outcome;
  }

  /**
   * Adds segments to an open file (CatalogStore.appendSegments); runs inside the caller's
   * transaction. `highest` reads the file's highest segment number where its segments live.
   */
  appendToFile(fileId: number, part: SegmentAppend, highest: (fileId: number) => number): AppendResult {
    const row = this.db
      .prepare(
        `SELECT f.collection_id, f.folder_id, f.size, f.segment_count, f.bytes, f.uploaded_count, f.missing_count, s.complete
           FROM files f LEFT JOIN nzb_sources s ON s.id = f.nzb_source_id WHERE f.id = ?`,
      )
      .get(fileId) as
      | { collection_id: number; folder_id: number; size: number; segment_count: number; bytes: number; uploaded_count: number; missing_count: number; complete: number | null }
      | undefined;
    if (!row) throw notFound(`There is no file with id ${fileId}.`, { fileId });
    const plan = planAppend(appendTargetOf(fileId, row, (row.segment_count === 0 ? 0 : highest(fileId))), part);
    const segments = part.segments;
    if (this.hooks) this.hooks.writeSegments(fileId, segments, plan.states);
    else this.insertSegments(fileId, segments, plan.states);
    const f = plan.file;
    this.db
      .prepare(
        `UPDATE files SET size = ?, segment_count = ?, bytes = ?, uploaded_count = ?, missing_count = ?,
           duplicate_count = coalesce(?, duplicate_count), state = ? WHERE id = ?`,
      )
      .run(f.size, f.segmentCount, f.bytes, f.uploadedCount, f.missingCount, f.duplicateCount, f.state, fileId);
    for (const group of plan.groups) this.s.insertFileGroup.run(fileId, this.groupIdFor(group));
    if (plan.folderBytes !== 0) this.s.bumpFolder.run(0, plan.folderBytes, 0, row.folder_id);
    const c = plan.collection;
    this.s.bumpCollection.run(0, 0, c.segments, c.bytes, c.uploaded, c.missing, row.collection_id);
    return { segments: plan.segments, bytes: plan.bytes };
  }

  /** Sources seen by committed batches, by dupe key. */
  knownSources(): Record<string, number> {
    return Object.fromEntries(this.sourceIds);
  }

  forgetUncommitted(): void {
    this.folderIds.clear();
    this.groupIds.clear();
    this.sourceIds.clear();
  }

  private writeFile(
    file: IngestFile,
    outcome: BatchOutcome,
    folderDeltas: Map<number, FolderDelta>,
    collection: CollectionDelta,
  ): void {
    const parts = checkIngestFile(file);
    const name = parts[parts.length - 1] as string;
    const folderId = this.resolveFolder(parts, folderDeltas, collection);
    const segments = file.segments;

    let bytes = 0;
    let uploaded = 0;
    let missingRows = 0;
    const states = this.states.length >= segments.length ? this.states : (this.states = new Uint8Array(segments.length * 2));
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i] as IngestSegment;
      bytes += segment.bytes;
      const code = this.segmentState(segment.state, segment.messageId);
      states[i] = code;
      if (code === SEGMENT_UPLOADED) uploaded++;
      else if (code === SEGMENT_MISSING) missingRows++;
    }
    // An open file counts the segments yet to come as one missing (IngestFile.open).
    const missing = missingRows + (file.missingNumbers ?? 0) + (file.open === true ? 1 : 0);
    const fileState = deriveFileState({ segmentCount: segments.length, uploadedCount: uploaded, missingCount: missing });
    const sourceId = file.sourceKey == null ? null : this.sourceIdFor(file.sourceKey);
    const mtime = file.mtime ?? null;
    const postedAt = file.postedAt ?? null;
    const params: unknown[] = [
      this.collectionId,
      folderId,
      sourceId,
      name,
      file.path,
      file.size,
      mtime,
      mtime ?? postedAt ?? 0,
      file.contentHash ?? null,
      file.subject ?? null,
      file.poster ?? null,
      postedAt,
      segments.length,
      bytes,
      uploaded,
      missing,
      file.duplicates ?? 0,
      fileState,
      file.metadata == null ? null : JSON.stringify(file.metadata),
    ];

    if (this.hooks) params.unshift(this.hooks.allocateFileId());
    let fileId: number;
    if (this.onExisting === 'skip') {
      const info = this.s.insertFileSkip.run(params);
      if (info.changes === 0) {
        outcome.skippedFiles++;
        return;
      }
      fileId = Number(info.lastInsertRowid);
    } else {
      if (this.onExisting === 'replace') {
        const existing = this.s.findFileByPath.get(this.collectionId, file.path) as { id: number } | undefined;
        if (existing) {
          this.removeFile(existing.id);
          outcome.replacedFiles++;
        }
      }
      try {
        fileId = Number(this.s.insertFile.run(params).lastInsertRowid);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new StrataError(
            'conflict',
            `The collection already has a file at ${file.path}. Choose to skip or replace existing files, or remove it first.`,
            { path: file.path },
          );
        }
        throw error;
      }
    }

    const slash = file.path.lastIndexOf('/');
    const folder = slash === -1 ? '' : file.path.slice(0, slash);
    if (this.hooks?.writeSearchRow) this.hooks.writeSearchRow(fileId, name, folder, file.subject ?? null);
    else this.s.insertFts.run(fileId, name, folder, file.subject ?? null);

    if (this.hooks) this.hooks.writeSegments(fileId, segments, states);
    else this.insertSegments(fileId, segments, states);
    if (file.groups) {
      for (const group of file.groups) this.s.insertFileGroup.run(fileId, this.groupIdFor(group));
    }

    const delta = folderDeltas.get(folderId);
    if (delta) {
      delta.files++;
      delta.bytes += file.size;
    } else {
      folderDeltas.set(folderId, { files: 1, bytes: file.size, folders: 0 });
    }
    collection.files++;
    collection.segments += segments.length;
    collection.bytes += bytes;
    collection.uploaded += uploaded;
    collection.missing += missing;
    outcome.files++;
    outcome.segments += segments.length;
    outcome.bytes += bytes;
  }

  /**
   * Writes a file's segments in blocks of SEGMENT_ROWS_PER_INSERT rows. The common shape
   * (numbers contiguous, no upload time) binds the file id and first number once per block
   * and four values per row; anything else takes the general seven-value block.
   */
  private insertSegments(fileId: number, segments: IngestSegment[], states: Uint8Array): void {
    const lean = this.leanParams;
    const full = this.blockParams;
    const shared = this.sharedParams;
    const whole = segments.length - (segments.length % SEGMENT_ROWS_PER_INSERT);
    for (let start = 0; start < whole; start += SEGMENT_ROWS_PER_INSERT) {
      const first = (segments[start] as IngestSegment).number;
      let isLean = true;
      let p = 0;
      for (let i = start; i < start + SEGMENT_ROWS_PER_INSERT; i++) {
        const segment = segments[i] as IngestSegment;
        if (segment.number !== first + (i - start) || segment.uploadedAt != null) {
          isLean = false;
          break;
        }
        lean[p++] = segment.bytes;
        lean[p++] = states[i];
        lean[p++] = segment.hash == null ? null : Buffer.from(segment.hash, 'hex');
        lean[p++] = segment.messageId ?? null;
      }
      if (isLean) {
        shared.f = fileId;
        shared.n = first;
        this.s.insertSegmentLean.run(lean, shared);
        continue;
      }
      p = 0;
      for (let i = start; i < start + SEGMENT_ROWS_PER_INSERT; i++) {
        const segment = segments[i] as IngestSegment;
        full[p++] = fileId;
        full[p++] = segment.number;
        full[p++] = segment.bytes;
        full[p++] = states[i];
        full[p++] = segment.hash == null ? null : Buffer.from(segment.hash, 'hex');
        full[p++] = segment.messageId ?? null;
        full[p++] = segment.uploadedAt ?? null;
      }
      this.s.insertSegmentBlock.run(full);
    }
    for (let i = whole; i < segments.length; i++) {
      const segment = segments[i] as IngestSegment;
      this.s.insertSegment.run(
        fileId,
        segment.number,
        segment.bytes,
        states[i],
        segment.hash == null ? null : Buffer.from(segment.hash, 'hex'),
        segment.messageId ?? null,
        segment.uploadedAt ?? null,
      );
    }
  }

  private segmentState(state: IngestFile['segments'][number]['state'], messageId: string | null | undefined): number {
    if (state === undefined) return messageId ? SEGMENT_UPLOADED : 0;
    return segmentStateCodeOf(state);
  }

  private resolveFolder(parts: string[], deltas: Map<number, FolderDelta>, collection: CollectionDelta): number {
    let parentId = this.rootFolderId();
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i] as string;
      const key = `${parentId}/${name}`;
      let id = this.folderIds.get(key);
      if (id === undefined) {
        const row = this.s.findFolder.get(parentId, name) as { id: number } | undefined;
        if (row) {
          id = row.id;
        } else {
          id = Number(this.s.insertFolder.run(this.collectionId, parentId, name).lastInsertRowid);
          const delta = deltas.get(parentId);
          if (delta) delta.folders++;
          else deltas.set(parentId, { files: 0, bytes: 0, folders: 1 });
          collection.folders++;
        }
        if (this.folderIds.size >= FOLDER_CACHE_LIMIT) this.folderIds.clear();
        this.folderIds.set(key, id);
      }
      parentId = id;
    }
    return parentId;
  }

  private rootFolderId(): number {
    const cached = this.folderIds.get('root');
    if (cached !== undefined) return cached;
    const row = this.s.rootFolder.get(this.collectionId) as { id: number } | undefined;
    if (!row) throw notFound(`Collection ${this.collectionId} has no root folder; it may have been deleted.`);
    this.folderIds.set('root', row.id);
    return row.id;
  }

  private groupIdFor(name: string): number {
    if (typeof name !== 'string' || name.length === 0) throw invalidArgument('A newsgroup name must be non-empty text.');
    let id = this.groupIds.get(name);
    if (id === undefined) {
      const row = this.s.findGroup.get(name) as { id: number } | undefined;
      id = row ? row.id : Number(this.s.insertGroup.run(name).lastInsertRowid);
      this.groupIds.set(name, id);
    }
    return id;
  }

  private upsertSource(source: NzbSourceInput): void {
    if (!source || typeof source.dupeKey !== 'string' || source.dupeKey.length === 0 || typeof source.fileName !== 'string') {
      throw invalidArgument('An NZB source needs a file name and a dupe key.');
    }
    if (this.sourceIds.has(source.dupeKey)) return;
    const row = this.s.findSource.get(this.collectionId, source.dupeKey) as { id: number } | undefined;
    const id = row
      ? row.id
      : Number(
          this.s.insertSource.run(
            this.collectionId,
            source.fileName,
            source.dupeKey,
            source.title ?? null,
            source.category ?? null,
            JSON.stringify(source.passwords ?? []),
            JSON.stringify(source.tags ?? []),
            JSON.stringify(source.meta ?? {}),
            Date.now(),
            source.contentHash ?? null,
            source.pending ? 0 : 1,
          ).lastInsertRowid,
        );
    this.sourceIds.set(source.dupeKey, id);
  }

  private sourceIdFor(key: string): number {
    const cached = this.sourceIds.get(key);
    if (cached !== undefined) return cached;
    const row = this.s.findSource.get(this.collectionId, key) as { id: number } | undefined;
    if (!row) throw invalidArgument(`A file refers to the NZB source ${JSON.stringify(key)}, which is not in this batch or the collection.`);
    this.sourceIds.set(key, row.id);
    return row.id;
  }
}
