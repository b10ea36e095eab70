/** Tier 1's segments: in the catalog file itself, written in the catalog's own transactions. */
import { planSegmentUpdates, type CurrentSegment } from '../../segment-update-plan';
import type { SegmentUpdate, UpdateSegmentsResult } from '../../store';
import type { SegmentHome, SqliteCore } from './sqlite-core';
import type { SqliteIngestWriter } from './sqlite-ingest';
import type { SegmentRow } from './sqlite-rows';

export class LocalSegments implements SegmentHome {
  constructor(private readonly core: SqliteCore) {}

  async writeWith<T>(writer: SqliteIngestWriter, write: () => T): Promise<T> {
    try {
      return this.core.run(() => this.core.db.transaction(write).immediate());
    } catch (error) {
      writer.forgetUncommitted();
      throw error;
    }
  }

  forgetSegments(fileId: number): void {
    this.core.db.prepare('DELETE FROM segments WHERE file_id = ?').run(fileId);
  }

  readSegments(fileId: number, after: number, limit: number): SegmentRow[] {
    return this.core.db
      .prepare('SELECT file_id, number, bytes, state, hash, message_id, uploaded_at FROM segments WHERE file_id = ? AND number > ? ORDER BY number LIMIT ?')
      .all(fileId, after, limit) as SegmentRow[];
  }

  highestSegmentNumber(fileId: number): number {
    const row = this.core.db.prepare('SELECT max(number) AS n FROM segments WHERE file_id = ?').get(fileId) as { n: number | null };
    return row.n ?? 0;
  }

  /** Segment rows and the counters they move, in one transaction. */
  async applySegmentUpdates(updates: SegmentUpdate[]): Promise<UpdateSegmentsResult> {
    const { db } = this.core;
    return this.core.run(() =>
      db
        .transaction(() => {
          const find = db.prepare('SELECT state, message_id, uploaded_at FROM segments WHERE file_id = ? AND number = ?');
          const plan = planSegmentUpdates(updates, (fileId, number) => find.get(fileId, number) as CurrentSegment | undefined);
          const update = db.prepare('UPDATE segments SET state = ?, message_id = ?, uploaded_at = ? WHERE file_id = ? AND number = ?');
          for (const [fileId, number, state, messageId, uploadedAt] of plan.rows) update.run(state, messageId, uploadedAt, fileId, number);
          this.core.moveSegmentCounters(plan.deltas);
          return { updated: plan.updated, notFound: plan.notFound };
        })
        .immediate(),
    );
  }
}
