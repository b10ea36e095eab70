/**
 * The jobs the page started or watches (imports, indexing, exports, backups, checks, moves):
 * one list that outlives every screen, so a job keeps its bar and its report while the user
 * browses. Pure and framework-free: the React provider only subscribes to it.
 */
import { serializeError, type SerializedError } from '../../../shared/errors';

export type JobKind = 'import' | 'upload' | 'index' | 'export' | 'backup' | 'check' | 'repair' | 'restore' | 'migration';
export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobProgress {
  /** Work done and the total, in `unit`; total null while unknown. */
  done: number;
  total: number | null;
  unit: string;
  /** What the job is on now ("Reading release.nzb", "copy · segments"). */
  label: string | null;
}

export interface ReportLine {
  status: 'ok' | 'duplicate' | 'failed' | 'warning' | 'info';
  text: string;
  /** The error's own message, or further detail. */
  detail?: string;
}

export interface JobReport {
  summary: string;
  lines: ReportLine[];
  /** A file the browser can fetch (exports and backups made over the host). */
  download?: { name: string; href: string };
}

export interface Job {
  id: string;
  kind: JobKind;
  title: string;
  state: JobState;
  startedAt: number;
  endedAt: number | null;
  progress: JobProgress | null;
  /** Measured rate in units per second and time left; null until measured. */
  rate: number | null;
  etaMs: number | null;
  report: JobReport | null;
  error: SerializedError | null;
  /** Present while the job can be cancelled. */
  cancel: (() => void) | null;
}

export interface JobContext {
  signal: AbortSignal;
  progress(p: JobProgress): void;
}

interface Sample {
  at: number;
  done: number;
}

/** Smallest span of samples a rate is computed over: a first instant says nothing. */
const MIN_RATE_SPAN_MS = 1_500;
const RATE_WINDOW_MS = 10_000;

/** Rate over the last few seconds and the time left; null until long enough to mean something. */
export function estimate(samples: readonly Sample[], total: number | null): { rate: number | null; etaMs: number | null } {
  const last = samples[samples.length - 1];
  if (!last) return { rate: null, etaMs: null };
  const windowStart = samples.find((s) => last.at - s.at <= RATE_WINDOW_MS) ?? last;
  const span = last.at - windowStart.at;
  if (span < MIN_RATE_SPAN_MS) return { rate: null, etaMs: null };
  const rate = (last.done - windowStart.done) / (span / 1000);
  if (!(rate > 0)) return { rate: 0, etaMs: null };
  const etaMs = total === null ? null : Math.max(0, ((total - last.done) / rate) * 1000);
  return { rate, etaMs };
}

export class JobStore {
  private jobs: Job[] = [];
  private readonly samples = new Map<string, Sample[]>();
  private readonly listeners = new Set<() => void>();
  private next = 1;

  constructor(private readonly now: () => number = Date.now) {}

  list(): readonly Job[] {
    return this.jobs;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` as a job; its report (or its error, in the error's own words) stays listed. */
  start(kind: JobKind, title: string, work: (ctx: JobContext) => Promise<JobReport>): string {
    const id = `job-${this.next++}`;
    const controller = new AbortController();
    this.add({ id, kind, title, cancel: () => controller.abort() });
    work({ signal: controller.signal, progress: (p) => this.progress(id, p) }).then(
      (report) => this.finish(id, controller.signal.aborted ? 'cancelled' : 'done', report, null),
      (error: unknown) => {
        const e = serializeError(error);
        this.finish(id, e.code === 'cancelled' || controller.signal.aborted ? 'cancelled' : 'failed', null, e);
      },
    );
    return id;
  }

  /** A job the page did not start but watches (a move the manager began by itself). */
  track(id: string, kind: JobKind, title: string, cancel: (() => void) | null): void {
    if (!this.jobs.some((j) => j.id === id)) this.add({ id, kind, title, cancel });
  }

  progress(id: string, p: JobProgress): void {
    const samples = this.samples.get(id) ?? [];
    const last = samples[samples.length - 1];
    // A job that starts over (a new phase counting from 0) measures its rate afresh.
    if (last && p.done < last.done) samples.length = 0;
    samples.push({ at: this.now(), done: p.done });
    while (samples.length > 2 && this.now() - (samples[0]?.at ?? 0) > RATE_WINDOW_MS * 2) samples.shift();
    this.samples.set(id, samples);
    const { rate, etaMs } = estimate(samples, p.total);
    this.update(id, { progress: p, rate, etaMs });
  }

  finish(id: string, state: Exclude<JobState, 'running'>, report: JobReport | null, error: SerializedError | null): void {
    this.samples.delete(id);
    this.update(id, { state, report, error, endedAt: this.now(), cancel: null, etaMs: null });
  }

  /** Removes finished jobs from the list (running ones stay). */
  clearFinished(): void {
    this.jobs = this.jobs.filter((j) => j.state === 'running');
    this.emit();
  }

  private add(job: Pick<Job, 'id' | 'kind' | 'title' | 'cancel'>): void {
    this.jobs = [{ ...job, state: 'running', startedAt: this.now(), endedAt: null, progress: null, rate: null, etaMs: null, report: null, error: null }, ...this.jobs];
    this.emit();
  }

  private update(id: string, patch: Partial<Job>): void {
    this.jobs = this.jobs.map((j) => (j.id === id ? { ...j, ...patch } : j));
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
