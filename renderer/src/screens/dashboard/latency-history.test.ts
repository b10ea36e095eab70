import { describe, expect, it } from 'vitest';
import type { LatencySummary } from '../../../../shared/manager';
import { addSample, chartColumns, describeHistory, formatMs } from './latency-history';

const l = (p95: number | null): LatencySummary => ({ count: p95 === null ? 0 : 10, p50Ms: p95, p95Ms: p95, p99Ms: p95 });
const live = (s: number | null, p: number | null, q: number | null) => ({ latencies: { segments: l(s), page: l(p), search: l(q) } });

describe('latency history', () => {
  it('keeps ten minutes of samples, replacing a repeat of the same instant', () => {
    let h = addSample([], live(0.1, 2, null), 0);
    h = addSample(h, live(0.2, 3, null), 5_000);
    h = addSample(h, live(0.3, 3, null), 5_000);
    expect(h.map((s) => s.p95.segments)).toEqual([0.1, 0.3]);
    h = addSample(h, live(0.4, 3, 9), 601_000);
    expect(h.map((s) => s.at)).toEqual([5_000, 601_000]);
  });

  it('gives uPlot seconds and one series per kind, null where not measured', () => {
    const h = addSample(addSample([], live(0.1, 2, null), 1_000), live(0.2, 3, 4), 2_000);
    expect(chartColumns(h)).toEqual([[1, 2], [0.1, 0.2], [2, 3], [null, 4]]);
  });

  it('says in words what the chart shows', () => {
    expect(describeHistory([])).toBe('No latency measured yet.');
    const h = addSample(addSample([], live(0.1, 20, null), 0), live(0.05, 3, null), 120_000);
    expect(describeHistory(h)).toBe('95th percentile latency over the last 2 min. Segment lookups: 0.05 ms now, worst 0.10 ms; File pages: 3.0 ms now, worst 20 ms; Searches: not measured.');
    expect(formatMs(null)).toBe('—');
    expect(formatMs(1234.5)).toBe('1,235 ms');
  });
});
