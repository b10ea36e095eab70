/**
 * Row shapes of the Postgres dialect. The logical columns are tier 1's, so the mappers of
 * sqlite-rows.ts apply unchanged once JSON columns are selected as text and hashes as hex;
 * the SELECT lists here do exactly that.
 */
import type { Segment } from '../../../../shared/domain';
import { segmentStateName } from '../../state-codes';

export {
  COLLECTION_COLUMNS,
  FILE_COLUMNS,
  FOLDER_COLUMNS,
  toCollection,
  toFileDetail,
  toFileEntry,
  toFolder,
  toNzbSource,
  type CollectionRow,
  type FileRow,
  type FolderRow,
  type NzbSourceRow,
} from '../sqlite/sqlite-rows';

export const NZB_SOURCE_COLUMNS =
  'id, collection_id, file_name, dupe_key, title, category, passwords::text AS passwords, tags::text AS tags, meta::text AS meta, imported_at, content_hash, complete';

export const SEGMENT_COLUMNS = "file_id, number, bytes, state, encode(hash, 'hex') AS hash, message_id, uploaded_at";

export interface PgSegmentRow {
  file_id: number;
  number: number;
  bytes: number;
  state: number;
  hash: string | null;
  message_id: string | null;
  uploaded_at: number | null;
}

export const toSegment = (r: PgSegmentRow): Segment => ({
  fileId: r.file_id,
  number: r.number,
  bytes: r.bytes,
  hash: r.hash,
  messageId: r.message_id,
  state: segmentStateName(r.state),
  uploadedAt: r.uploaded_at,
});
