/**
 * The bulk write path of tier 3: one transaction per batch, in which files, their segments,
 * the full-text vectors and every counter (file, folder, collection) change together, as on
 * tier 1. Rows go in through COPY: the batch's file ids are reserved from the sequence in one
 * query, so files, segments and group links can all be streamed without a round trip per row.
 */
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import { StrataError, invalidArgument, notFound } from '../../../../shared/errors';
import type { AppendResult, IngestSegment, NzbSourceInput, OnExisting, SegmentAppend } from '../../store';
import { appendTargetOf, planAppend } from '../../segment-append';
import { CopyBytes } from './copy-bytes';
import { returnedId, type PgQueryable } from './pg-driver';
import { pgCode, pgConstraint } from './pg-errors';
import { conflictAt, type PlannedFile, type PreparedBatch } from './pg-ingest-prepare';

import type { BatchOutcome } from '../../store-front/engine-core';
export type { BatchOutcome } from '../../store-front/engine-core';

/** Removes files with their rows and counters (the store's shared delete path). */
export type RemoveFiles = (tx: PgQueryable, fileIds: number[]) => Promise<unknown>;

interface FolderDelta {
  files: number;
  bytes: number;
  folders: number;
}

/**
 * The files rows an ingest writes: the columns every engine streams, in that order (the row
 * encoders below follow it), plus the search document only the Postgres schema stores.
 */
export const FILE_COPY_COLUMNS: readonly string[] = [...TABLE_COLUMNS.files.columns, 'search'];

export const SEGMENT_COPY_COLUMNS = TABLE_COLUMNS.segments.columns;

/** Bounds the folder cache of one writer; a catalog can have millions of folders. */
const FOLDER_CACHE_LIMIT = 50_000;

export class PgIngestWriter {
  private readonly folderIds = new Map<string, number>();
  private readonly groupIds = new Map<string, number>();
  private readonly sourceIds = new Map<string, number>();

  constructor(
    private readonly collectionId: number,
    private readonly onExisting: OnExisting,
    private readonly removeFiles: RemoveFiles,
  ) {}

  /**
   * Adds segments to an open file (CatalogStore.appendSegments); runs inside the caller's
   * transaction. The file row is locked first, so two appends to one file run one after the other.
   */
  async appendToFile(tx: PgQueryable, fileId: number, part: SegmentAppend): Promise<AppendResult> {
    const row = (
      await tx.query<{ folder_id: number; size: number; segment_count: number; bytes: number; uploaded_count: number; missing_count: number; complete: number | null }>(
        `SELECT f.folder_id, f.size, f.segment_count, f.bytes, f.uploaded_count, f.missing_count, s.complete
           FROM files f LEFT JOIN nzb_sources s ON s.id = f.nzb_source_id WHERE f.id = $1 FOR UPDATE OF f`,
        [fileId],
      )
    ).rows[0];
    if (!row) throw notFound(`There is no file with id ${fileId}.`, { fileId });
    const highest =
      row.segment_count === 0
        ? 0
        : ((await tx.query<{ n: number | null }>('SELECT max(number)::float8 AS n FROM segments WHERE file_id = $1', [fileId])).rows[0]?.n ?? 0);
    const plan = planAppend(appendTargetOf(fileId, row, highest), part);
    if (plan.segments > 0) {
      const out = new CopyBytes();
      const segments = part.segments;
      for (let i = 0; i < segments.length; i++) {
        const s = segments[i] as IngestSegment;
        out.number(fileId).number(s.number).number(s.bytes).number(plan.states[i]).hexBytes(s.hash).text(s.messageId).number(s.uploadedAt).end();
      }
      await tx.copyFrom('segments', SEGMENT_COPY_COLUMNS, out.finish());
    }
    const f = plan.file;
    await tx.query(
      `UPDATE files SET size = $1, segment_count = $2, bytes = $3, uploaded_count = $4, missing_count = $5,
         duplicate_count = coalesce($6, duplicate_count), state = $7 WHERE id = $8`,
      [f.size, f.segmentCount, f.bytes, f.uploadedCount, f.missingCount, f.duplicateCount, f.state, fileId],
    );
    for (const group of plan.groups) {
      await tx.query('INSERT INTO file_groups (file_id, group_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [fileId, await this.groupIdFor(tx, group)]);
    }
    if (plan.folderBytes !== 0) await tx.query('UPDATE folders SET bytes = bytes + $1 WHERE id = $2', [plan.folderBytes, row.folder_id]);
    const c = plan.collection;
    await tx.query(
      `UPDATE collections SET segment_count = segment_count + $1, bytes = bytes + $2, uploaded_segments = uploaded_segments + $3,
         missing_segments = missing_segments + $4 WHERE id = $5`,
      [c.segments, c.bytes, c.uploaded, c.missing, this.collectionId],
    );
    return { segments: plan.segments, bytes: plan.bytes };
  }

  /** Sources seen by committed batches, by dupe key. */
  knownSources(): Record<string, number> {
    return Object.fromEntries(this.sourceIds);
  }

  /** Ids learnt in a rolled-back transaction may not exist: forget them all. */
  forgetUncommitted(): void {
    this.folderIds.clear();
    this.groupIds.clear();
    this.sourceIds.clear();
  }

  /** Runs inside the caller's transaction; `batch` comes from prepareBatch (pg-ingest-prepare.ts). */
  async writeBatch(tx: PgQueryable, batch: PreparedBatch): Promise<BatchOutcome> {
    // FOR SHARE: a concurrent delete of the collection waits for this batch (or this batch for it).
    const state = (
      await tx.query<{ deleting: boolean }>('SELECT deleting FROM collections WHERE id = $1 FOR SHARE', [this.collectionId])
    ).rows[0];
    if (!state || state.deleting) {
      throw notFound(`Collection ${this.collectionId} does not exist (it may have been deleted meanwhile).`);
    }
    for (const source of batch.sources) await this.upsertSource(tx, source);

    const outcome: BatchOutcome = { files: 0, segments: 0, bytes: 0, skippedFiles: batch.skippedFiles, replacedFiles: batch.replacedFiles };
    const planned = await this.plan(tx, batch.files, outcome);
    if (planned.length === 0) return outcome;

    const folderDeltas = new Map<number, FolderDelta>();
    const collection = { folders: 0, files: 0, segments: 0, bytes: 0, uploaded: 0, missing: 0 };
    const folderIds = await this.resolveFolders(tx, planned, folderDeltas, collection);

    // One text value instead of a row per id: parsing thousands of rows costs more than the ids.
    const idList = (
      await tx.query<{ ids: string }>(
        "SELECT string_agg(nextval(pg_get_serial_sequence('files', 'id'))::text, ',') AS ids FROM generate_series(1, $1::int)",
        [planned.length],
      )
    ).rows[0]?.ids;
    const ids = (idList ?? '').split(',').map(Number);

    const files = new CopyBytes();
    const links: { fileIds: number[]; groupIds: number[] } = { fileIds: [], groupIds: [] };
    for (let i = 0; i < planned.length; i++) {
      const p = planned[i] as PlannedFile;
      const fileId = ids[i] as number;
      const folderId = folderIds[i] as number;
      this.fileRow(files, p, fileId, folderId);
      for (const group of p.file.groups ?? []) {
        links.fileIds.push(fileId);
        links.groupIds.push(await this.groupIdFor(tx, group));
      }
      const delta = folderDeltas.get(folderId);
      if (delta) {
        delta.files++;
        delta.bytes += p.file.size;
      } else {
        folderDeltas.set(folderId, { files: 1, bytes: p.file.size, folders: 0 });
      }
      collection.files++;
      collection.segments += p.file.segments.length;
      collection.bytes += p.bytes;
      collection.uploaded += p.uploaded;
      collection.missing += p.missing;
      outcome.files++;
      outcome.segments += p.file.segments.length;
      outcome.bytes += p.bytes;
    }

    const filesLoaded = tx.copyFrom('files', FILE_COPY_COLUMNS, files.finish());
    // Awaited below; this only keeps a failure from counting as unhandled meanwhile.
    filesLoaded.catch(() => undefined);
    // A server loads and indexes the files (the batch's costliest statement) while the segment
    // rows are written here, on the other core. On PGlite, in this thread, it is sequential.
    const segmentRows = await segmentCopyRows(planned, ids);
    try {
      await filesLoaded;
    } catch (error) {
      // Another writer took a path between the check in plan() and this load.
      if (pgCode(error) === '23505' && pgConstraint(error) === 'files_path') {
        throw new StrataError('conflict', 'Another import added a file at one of these paths meanwhile; run the import again.', {});
      }
      throw error;
    }
    await tx.copyFrom('segments', SEGMENT_COPY_COLUMNS, segmentRows);
    if (links.fileIds.length > 0) {
      await tx.query(
        'INSERT INTO file_groups (file_id, group_id) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING',
        [links.fileIds, links.groupIds],
      );
    }
    if (folderDeltas.size > 0) {
      const entries = [...folderDeltas];
      await tx.query(
        `UPDATE folders d SET file_count = d.file_count + u.files, bytes = d.bytes + u.bytes, folder_count = d.folder_count + u.folders
           FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS u(id, files, bytes, folders)
          WHERE d.id = u.id`,
        [entries.map(([id]) => id), entries.map(([, d]) => d.files), entries.map(([, d]) => d.bytes), entries.map(([, d]) => d.folders)],
      );
    }
    await tx.query(
      `UPDATE collections SET folder_count = folder_count + $1, file_count = file_count + $2, segment_count = segment_count + $3,
         bytes = bytes + $4, uploaded_segments = uploaded_segments + $5, missing_segments = missing_segments + $6 WHERE id = $7`,
      [collection.folders, collection.files, collection.segments, collection.bytes, collection.uploaded, collection.missing, this.collectionId],
    );
    return outcome;
  }

  /**
   * Resolves NZB sources, decides what happens to paths that already exist in the collection,
   * and removes the files being replaced. Returns the files to write.
   */
  private async plan(tx: PgQueryable, planned: PlannedFile[], outcome: BatchOutcome): Promise<PlannedFile[]> {
    for (const p of planned) {
      const key = p.file.sourceKey;
      p.sourceId = key == null ? null : await this.sourceIdFor(tx, key);
    }
    if (planned.length === 0) return planned;
    const existing = (
      await tx.query<{ id: number; rel_path: string }>(
        'SELECT id, rel_path FROM files WHERE collection_id = $1 AND rel_path = ANY($2::text[])',
        [this.collectionId, planned.map((p) => p.file.path)],
      )
    ).rows;
    if (existing.length === 0) return planned;
    const existingIds = new Map(existing.map((r) => [r.rel_path, r.id]));
    const kept: PlannedFile[] = [];
    const replaced: number[] = [];
    for (const p of planned) {
      const id = existingIds.get(p.file.path);
      if (id === undefined) {
        kept.push(p);
      } else if (this.onExisting === 'error') {
        throw conflictAt(p.file.path);
      } else if (this.onExisting === 'skip') {
        outcome.skippedFiles++;
      } else {
        replaced.push(id);
        outcome.replacedFiles++;
        kept.push(p);
      }
    }
    if (replaced.length > 0) {
      await this.removeFiles(tx, replaced);
      // Removing files can empty and remove folders, whose ids may be cached.
      this.folderIds.clear();
    }
    return kept;
  }

  private fileRow(out: CopyBytes, p: PlannedFile, fileId: number, folderId: number): void {
    const f = p.file;
    const mtime = f.mtime ?? null;
    const postedAt = f.postedAt ?? null;
    out
      .number(fileId)
      .number(this.collectionId)
      .number(folderId)
      .number(p.sourceId)
      .text(p.name)
      .text(f.path)
      .number(f.size)
      .number(mtime)
      .number(mtime ?? postedAt ?? 0)
      .text(f.contentHash)
      .text(f.subject)
      .text(f.poster)
      .number(postedAt)
      .number(f.segments.length)
      .number(p.bytes)
      .number(p.uploaded)
      .number(p.missing)
      .number(f.duplicates ?? 0)
      .number(p.fileState)
      .text(f.metadata == null ? null : JSON.stringify(f.metadata))
      .text(p.search)
      .end();
  }

  /**
   * The folder id of every planned file, creating missing folders level by level: one lookup
   * and at most one insert per depth per batch, instead of a round trip per folder. The cache
   * is keyed by the collection-relative folder path ('' is the root).
   */
  private async resolveFolders(
    tx: PgQueryable,
    planned: PlannedFile[],
    deltas: Map<number, FolderDelta>,
    collection: { folders: number },
  ): Promise<number[]> {
    const root = await this.rootFolderId(tx);
    if (this.folderIds.size >= FOLDER_CACHE_LIMIT) this.folderIds.clear();
    this.folderIds.set('', root);
    const depth = planned.reduce((max, p) => Math.max(max, p.folderParts.length), 0);
    for (let d = 1; d <= depth; d++) {
      const wanted = new Map<string, { parentId: number; name: string }>();
      for (const p of planned) {
        if (p.folderParts.length < d) continue;
        const key = p.folderParts.slice(0, d).join('/');
        if (this.folderIds.has(key) || wanted.has(key)) continue;
        const parentId = this.folderIds.get(p.folderParts.slice(0, d - 1).join('/')) as number;
        wanted.set(key, { parentId, name: p.folderParts[d - 1] as string });
      }
      if (wanted.size === 0) continue;
      const keyOf = new Map([...wanted].map(([key, w]) => [`${w.parentId}/${w.name}`, key]));
      const parents = [...wanted.values()].map((w) => w.parentId);
      const names = [...wanted.values()].map((w) => w.name);
      type Found = { id: number; parent_id: number; name: string };
      const remember = (rows: Found[]): void => {
        for (const r of rows) this.folderIds.set(keyOf.get(`${r.parent_id}/${r.name}`) as string, r.id);
      };
      remember(
        (
          await tx.query<Found>(
            'SELECT f.id, f.parent_id, f.name FROM folders f JOIN unnest($1::bigint[], $2::text[]) AS u(p, n) ON f.parent_id = u.p AND f.name = u.n',
            [parents, names],
          )
        ).rows,
      );
      const missing = [...wanted].filter(([key]) => !this.folderIds.has(key)).map(([, w]) => w);
      if (missing.length === 0) continue;
      // ON CONFLICT: a concurrent writer may create the same folder; only rows made here count.
      const created = (
        await tx.query<Found>(
          `INSERT INTO folders (collection_id, parent_id, name) SELECT $1, p, n FROM unnest($2::bigint[], $3::text[]) AS u(p, n)
           ON CONFLICT (parent_id, name) DO NOTHING RETURNING id, parent_id, name`,
          [this.collectionId, missing.map((w) => w.parentId), missing.map((w) => w.name)],
        )
      ).rows;
      remember(created);
      for (const r of created) {
        const delta = deltas.get(r.parent_id);
        if (delta) delta.folders++;
        else deltas.set(r.parent_id, { files: 0, bytes: 0, folders: 1 });
        collection.folders++;
      }
      if (created.length < missing.length) {
        remember(
          (
            await tx.query<Found>(
              'SELECT f.id, f.parent_id, f.name FROM folders f JOIN unnest($1::bigint[], $2::text[]) AS u(p, n) ON f.parent_id = u.p AND f.name = u.n',
              [missing.map((w) => w.parentId), missing.map((w) => w.name)],
            )
          ).rows,
        );
      }
    }
    return planned.map((p) => this.folderIds.get(p.folderParts.join('/')) as number);
  }

  private async rootFolderId(tx: PgQueryable): Promise<number> {
    const cached = this.folderIds.get('');
    if (cached !== undefined) return cached;
    const row = (await tx.query<{ id: number }>('SELECT id FROM folders WHERE collection_id = $1 AND parent_id IS NULL', [this.collectionId]))
      .rows[0];
    if (!row) throw notFound(`Collection ${this.collectionId} has no root folder; it may have been deleted.`);
    this.folderIds.set('', row.id);
    return row.id;
  }

  private async groupIdFor(tx: PgQueryable, name: string): Promise<number> {
    if (typeof name !== 'string' || name.length === 0) throw invalidArgument('A newsgroup name must be non-empty text.');
    let id = this.groupIds.get(name);
    if (id === undefined) {
      // ON CONFLICT: another writer may add the same group at the same time.
      const inserted = (
        await tx.query<{ id: number }>('INSERT INTO groups (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id', [name])
      ).rows[0];
      id = inserted?.id ?? returnedId(await tx.query<{ id: number }>('SELECT id FROM groups WHERE name = $1', [name]));
      this.groupIds.set(name, id);
    }
    return id;
  }

  private async upsertSource(tx: PgQueryable, source: NzbSourceInput): Promise<void> {
    if (!source || typeof source.dupeKey !== 'string' || source.dupeKey.length === 0 || typeof source.fileName !== 'string') {
      throw invalidArgument('An NZB source needs a file name and a dupe key.');
    }
    if (this.sourceIds.has(source.dupeKey)) return;
    const found = (
      await tx.query<{ id: number }>('SELECT id FROM nzb_sources WHERE collection_id = $1 AND dupe_key = $2', [this.collectionId, source.dupeKey])
    ).rows[0];
    const id =
      found?.id ??
      returnedId(
        await tx.query<{ id: number }>(
          `INSERT INTO nzb_sources (collection_id, file_name, dupe_key, title, category, passwords, tags, meta, imported_at, content_hash, complete)
           VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11) RETURNING id`,
          [
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
          ],
        ),
      );
    this.sourceIds.set(source.dupeKey, id);
  }

  private async sourceIdFor(tx: PgQueryable, key: string): Promise<number> {
    const cached = this.sourceIds.get(key);
    if (cached !== undefined) return cached;
    const row = (await tx.query<{ id: number }>('SELECT id FROM nzb_sources WHERE collection_id = $1 AND dupe_key = $2', [this.collectionId, key]))
      .rows[0];
    if (!row) throw invalidArgument(`A file refers to the NZB source ${JSON.stringify(key)}, which is not in this batch or the collection.`);
    this.sourceIds.set(key, row.id);
    return row.id;
  }
}

/** Segment rows written between returns to the event loop (see segmentCopyRows). */
const SEGMENT_ROWS_PER_SLICE = 8_192;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The segment rows of a batch as COPY bytes. Written in slices with returns to the event loop
 * between them, so the socket keeps sending the files load that runs meanwhile.
 */
async function segmentCopyRows(planned: PlannedFile[], ids: number[]): Promise<Buffer[]> {
  const out = new CopyBytes();
  let sliceRows = 0;
  for (let f = 0; f < planned.length; f++) {
    const p = planned[f] as PlannedFile;
    const segments = p.file.segments;
    const fileId = ids[f] as number;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i] as IngestSegment;
      out.number(fileId).number(s.number).number(s.bytes).number(p.states[i]).hexBytes(s.hash).text(s.messageId).number(s.uploadedAt).end();
    }
    sliceRows += segments.length;
    if (sliceRows >= SEGMENT_ROWS_PER_SLICE) {
      sliceRows = 0;
      await yieldToEventLoop();
    }
  }
  return out.finish();
}
