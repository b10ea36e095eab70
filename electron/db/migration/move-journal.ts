/**
 * The journal of moves, kept in the data folder's control database (control.db creates its
 * `jobs` and `job_tables` tables with the rest of its schema): one job per move with its state
 * (running, paused, switched, failed, cancelled), and per job the checkpoints a copy resumes
 * from after a crash or kill. The switch is here too, because the pointer moving to the target
 * and the job becoming `switched` must be one transaction: a kill between them would otherwise
 * leave a switched folder whose job still asks to be resumed.
 */
import type { ControlDb } from '../manager/control-db';
import type { TableName } from '../store';
import type { MigrationJournal, TableCheckpoint } from './migration-journal';

export interface JobRecord {
  id: number;
  sourceId: number;
  targetId: number;
  state: 'running' | 'switched' | 'failed' | 'cancelled';
  /** Stopped by the user or a full disk: it resumes only when asked, never by itself. */
  paused: boolean;
  error: string | null;
}

type JobRow = { id: number; source_id: number; target_id: number; state: JobRecord['state']; paused: number; error: string | null };
const toJob = (r: JobRow): JobRecord => ({ id: r.id, sourceId: r.source_id, targetId: r.target_id, state: r.state, paused: r.paused === 1, error: r.error });
const JOB_COLUMNS = 'id, source_id, target_id, state, paused, error';

/** The moves of one open control database; as short-lived as the ControlDb it reads. */
export class MoveJournal {
  private readonly db: ControlDb['connection'];

  constructor(control: ControlDb) {
    this.db = control.connection;
  }

  /** The move that has not ended: running in some process, killed, or paused. */
  runningJob(): JobRecord | null {
    const row = this.db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE state = 'running' ORDER BY id DESC LIMIT 1`).get() as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  /** The newest job, whatever its state: what the wizard reports after a restart. */
  lastJob(): JobRecord | null {
    const row = this.db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT 1`).get() as JobRow | undefined;
    return row ? toJob(row) : null;
  }

  startJob(sourceId: number, targetId: number): JobRecord {
    const now = Date.now();
    const id = Number(this.db.prepare("INSERT INTO jobs (source_id, target_id, state, started_at, updated_at) VALUES (?, ?, 'running', ?, ?)").run(sourceId, targetId, now, now).lastInsertRowid);
    return { id, sourceId, targetId, state: 'running', paused: false, error: null };
  }

  /** Marks a move paused (with why) or running again; its checkpoints stay. */
  setPaused(jobId: number, paused: boolean, reason: string | null): void {
    this.db.prepare('UPDATE jobs SET paused = ?, error = ?, updated_at = ? WHERE id = ?').run(paused ? 1 : 0, reason, Date.now(), jobId);
  }

  endJob(jobId: number, state: Exclude<JobRecord['state'], 'running' | 'switched'>, error: string | null): void {
    this.db.prepare('UPDATE jobs SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(state, error, Date.now(), jobId);
  }

  /**
   * The switch: in one transaction the pointer moves to the target, the source becomes the
   * kept previous store (an older previous one is retired), and the job is done.
   */
  switchTo(job: JobRecord): void {
    this.db
      .transaction(() => {
        this.db.prepare("UPDATE stores SET role = 'retired' WHERE role = 'previous'").run();
        this.db.prepare("UPDATE stores SET role = 'previous' WHERE id = ?").run(job.sourceId);
        this.db.prepare("UPDATE stores SET role = 'active' WHERE id = ?").run(job.targetId);
        this.db.prepare('UPDATE pointer SET store_id = ?, switched_at = ?, changed = 0 WHERE id = 1').run(job.targetId, Date.now());
        this.db.prepare("UPDATE jobs SET state = 'switched', updated_at = ? WHERE id = ?").run(Date.now(), job.id);
      })
      .immediate();
  }

  /** The checkpoints of one job, as the copy reads and saves them (copy-store.ts). */
  checkpoints(jobId: number): MigrationJournal {
    const db = this.db;
    const read = db.prepare('SELECT last_key, rows, done FROM job_tables WHERE job_id = ? AND table_name = ?');
    const write = db.prepare('INSERT OR REPLACE INTO job_tables (job_id, table_name, last_key, rows, done) VALUES (?, ?, ?, ?, ?)');
    const resumed = db.prepare('SELECT 1 FROM job_tables WHERE job_id = ? LIMIT 1').get(jobId) !== undefined;
    return {
      resumed,
      checkpoint(table: TableName): TableCheckpoint {
        const row = read.get(jobId, table) as { last_key: string | null; rows: number; done: number } | undefined;
        // last_key holds a key (a JSON array), or for a table copied in parts {"parts": n}.
        const saved = row?.last_key ? (JSON.parse(row.last_key) as (string | number)[] | { parts: number }) : null;
        const parts = saved && !Array.isArray(saved) ? saved.parts : 0;
        return {
          table,
          lastKey: Array.isArray(saved) ? saved : null,
          rows: row?.rows ?? 0,
          done: row?.done === 1,
          ...(parts > 0 ? { parts } : {}),
        };
      },
      save(point: TableCheckpoint): void {
        const key = point.lastKey ? JSON.stringify(point.lastKey) : point.parts ? JSON.stringify({ parts: point.parts }) : null;
        write.run(jobId, point.table, key, point.rows, point.done ? 1 : 0);
      },
    };
  }
}
