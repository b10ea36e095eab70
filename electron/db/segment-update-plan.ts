/**
 * What a batch of segment updates does, worked out before anything is written: the final
 * values of each touched segment and how far each file's uploaded/missing counters move.
 * Engines that keep segments and counters in different places (the sharded tier) write the
 * two separately from one plan; tier 1 writes both in one transaction.
 */
import { SEGMENT_MISSING, SEGMENT_UPLOADED, segmentStateCode } from './state-codes';
import type { SegmentUpdate } from './store';

export interface CurrentSegment {
  state: number;
  message_id: string | null;
  uploaded_at: number | null;
}

/** [fileId, number, state, messageId, uploadedAt]: final values, so replaying a row is harmless. */
export type PlannedSegment = [fileId: number, number: number, state: number, messageId: string | null, uploadedAt: number | null];

export interface SegmentUpdatePlan {
  rows: PlannedSegment[];
  /** Per file: change of uploaded_count and missing_count. */
  deltas: Map<number, { uploaded: number; missing: number }>;
  updated: number;
  notFound: number;
}

export function planSegmentUpdates(
  updates: readonly SegmentUpdate[],
  find: (fileId: number, number: number) => CurrentSegment | undefined,
): SegmentUpdatePlan {
  // A segment listed twice sees its own earlier update, as it would inside one transaction.
  const planned = new Map<string, CurrentSegment>();
  const plan: SegmentUpdatePlan = { rows: [], deltas: new Map(), updated: 0, notFound: 0 };
  for (const u of updates) {
    const key = `${u.fileId}:${u.number}`;
    const current = planned.get(key) ?? find(u.fileId, u.number);
    if (!current) {
      plan.notFound++;
      continue;
    }
    const messageId = u.messageId === undefined ? current.message_id : u.messageId;
    const state =
      u.state !== undefined
        ? segmentStateCode(u.state)
        : u.messageId !== undefined && messageId !== null
          ? SEGMENT_UPLOADED
          : current.state;
    const uploadedAt = u.uploadedAt === undefined ? current.uploaded_at : u.uploadedAt;
    planned.set(key, { state, message_id: messageId, uploaded_at: uploadedAt });
    plan.rows.push([u.fileId, u.number, state, messageId, uploadedAt]);
    plan.updated++;
    const du = (state === SEGMENT_UPLOADED ? 1 : 0) - (current.state === SEGMENT_UPLOADED ? 1 : 0);
    const dm = (state === SEGMENT_MISSING ? 1 : 0) - (current.state === SEGMENT_MISSING ? 1 : 0);
    if (du !== 0 || dm !== 0) {
      const d = plan.deltas.get(u.fileId) ?? { uploaded: 0, missing: 0 };
      d.uploaded += du;
      d.missing += dm;
      plan.deltas.set(u.fileId, d);
    }
  }
  return plan;
}
