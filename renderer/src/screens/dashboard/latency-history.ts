/**
 * The dashboard's latency chart over time: samples of manager/status's live latencies, kept in
 * memory for the last ten minutes (module-level, so leaving the screen and coming back keeps
 * what was seen). Pure apart from that one list.
 */
import type { LiveStats } from '../../../../shared/manager';

export type LatencyKind = keyof LiveStats['latencies'];
export const LATENCY_KINDS: readonly LatencyKind[] = ['segments', 'page', 'search'];
export const KIND_LABELS: Record<LatencyKind, string> = { segments: 'Segment lookups', page: 'File pages', search: 'Searches' };

export interface LatencySample {
  at: number;
  p95: Record<LatencyKind, number | null>;
}

export const HISTORY_MS = 10 * 60_000;

/** Adds a sample (a repeat of the same instant replaces it) and drops what is older than the window. */
export function addSample(history: readonly LatencySample[], live: Pick<LiveStats, 'latencies'>, at: number, windowMs = HISTORY_MS): LatencySample[] {
  const sample: LatencySample = {
    at,
    p95: { segments: live.latencies.segments.p95Ms, page: live.latencies.page.p95Ms, search: live.latencies.search.p95Ms },
  };
  const kept = history.filter((s) => s.at > at - windowMs && s.at !== at);
  kept.push(sample);
  return kept;
}

/** uPlot's columns: seconds on x, one series per kind (null where nothing was measured yet). */
export function chartColumns(history: readonly LatencySample[]): [number[], ...(number | null)[][]] {
  return [history.map((s) => s.at / 1000), ...LATENCY_KINDS.map((k) => history.map((s) => s.p95[k]))];
}

/** The chart's text alternative: the latest p95 and the worst in the window, per kind. */
export function describeHistory(history: readonly LatencySample[]): string {
  if (history.length === 0) return 'No latency measured yet.';
  const minutes = Math.max(1, Math.round((history[history.length - 1]!.at - history[0]!.at) / 60_000));
  const parts = LATENCY_KINDS.map((k) => {
    const values = history.map((s) => s.p95[k]).filter((v): v is number => v !== null);
    if (values.length === 0) return `${KIND_LABELS[k]}: not measured`;
    return `${KIND_LABELS[k]}: ${formatMs(values[values.length - 1]!)} now, worst ${formatMs(Math.max(...values))}`;
  });
  return `95th percentile latency over the last ${minutes} min. ${parts.join('; ')}.`;
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms).toLocaleString('en-US')} ms`;
}

let kept: LatencySample[] = [];
export const latencyHistory = {
  get: (): readonly LatencySample[] => kept,
  add: (live: Pick<LiveStats, 'latencies'>, at: number): readonly LatencySample[] => (kept = addSample(kept, live, at)),
};
