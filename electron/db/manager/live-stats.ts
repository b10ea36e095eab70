/**
 * The manager's running statistics: latencies of the real queries the app answers (a ring of
 * the most recent ones per kind, so an old slow spell fades out) and growth measured from size
 * samples kept in the control database across restarts.
 */
import type { LatencySummary } from '../../../shared/manager';

export const QUERY_KINDS = ['segments', 'page', 'search'] as const;
export type QueryKind = (typeof QUERY_KINDS)[number];

export class LatencyRing {
  private readonly values: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 2048) {
    this.values = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.values[this.next] = ms;
    this.next = (this.next + 1) % this.values.length;
    this.filled = Math.min(this.filled + 1, this.values.length);
  }

  summary(): LatencySummary {
    if (this.filled === 0) return { count: 0, p50Ms: null, p95Ms: null, p99Ms: null };
    const sorted = this.values.slice(0, this.filled).sort();
    const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
    return { count: this.filled, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
  }
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export interface GrowthSample {
  at: number;
  segments: number;
}

const DAY_MS = 86_400_000;

/**
 * Segments added per day: the least-squares slope over the samples. Removals count as negative
 * growth, so a catalog that is being pruned does not look busy. Needs an hour of history, so one
 * large import right after the first start is not read as a daily rate.
 */
export function segmentsPerDay(samples: readonly GrowthSample[]): number {
  if (samples.length < 2) return 0;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  if (last.at - first.at < 3_600_000) return 0;
  const n = samples.length;
  let sx = 0;
  let sy = 0;
  for (const s of samples) {
    sx += s.at - first.at;
    sy += s.segments;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    const dx = s.at - first.at - mx;
    num += dx * (s.segments - my);
    den += dx * dx;
  }
  return den === 0 ? 0 : Math.max(0, Math.round((num / den) * DAY_MS));
}
