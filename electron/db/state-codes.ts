/**
 * Small-integer codes for enum columns, shared by every dialect so that a migrated row
 * means the same thing on both sides, and the derivation of a file's state from its counters.
 */
import { FILE_STATES, SEGMENT_STATES, type FileState, type SegmentState } from '../../shared/domain';

export const segmentStateCode = (state: SegmentState): number => SEGMENT_STATES.indexOf(state);
export const segmentStateName = (code: number): SegmentState => SEGMENT_STATES[code] ?? 'indexed';
export const fileStateCode = (state: FileState): number => FILE_STATES.indexOf(state);
export const fileStateName = (code: number): FileState => FILE_STATES[code] ?? 'indexed';

export const SEGMENT_INDEXED = 0;
export const SEGMENT_UPLOADED = 1;
export const SEGMENT_MISSING = 2;

export interface FileCounters {
  segmentCount: number;
  uploadedCount: number;
  missingCount: number;
}

/**
 * missing: nothing of the file can be had (every known segment is missing);
 * uploaded: every segment has been posted and none is missing;
 * partial: some posted or some missing; indexed: known locally, nothing posted yet.
 */
export function deriveFileState(c: FileCounters): number {
  const expected = c.segmentCount;
  if (c.missingCount > 0 && c.uploadedCount === 0 && c.missingCount >= expected) return 3;
  if (expected > 0 && c.uploadedCount >= expected && c.missingCount === 0) return 2;
  if (c.uploadedCount > 0 || c.missingCount > 0) return 1;
  return 0;
}
