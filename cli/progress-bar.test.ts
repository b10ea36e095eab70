import { describe, expect, it } from 'vitest';
import { ProgressClock, formatEta, renderLine } from './progress-bar';

describe('ProgressClock', () => {
  it('gives no ETA before 2 s and 1%, or 5%, then one from the recent rate', () => {
    const clock = new ProgressClock(5_000, 0);
    // A fast first batch: 0.5% done after 100 ms would have extrapolated a time from nothing.
    expect(clock.update(500, 100_000, 100).etaMs).toBeNull();
    expect(clock.update(900, 100_000, 1_900).etaMs).toBeNull();
    const measured = clock.update(2_000, 100_000, 2_000);
    // 1,500 rows in the 1.9 s since the first sample.
    expect(measured.perSecond).toBeCloseTo(789.5, 0);
    expect(measured.etaMs).toBeCloseTo((98_000 / 789.47) * 1000, -3);
  });

  it('measures a fast job by its share alone', () => {
    const clock = new ProgressClock(5_000, 0);
    clock.update(0, 1_000, 0);
    expect(clock.update(60, 1_000, 600).etaMs).toBeCloseTo(9_400, -2);
  });

  it('follows the recent rate, not the average since the start', () => {
    const clock = new ProgressClock(5_000, 0);
    for (let t = 0; t <= 10_000; t += 1_000) clock.update(t * 10, 10_000_000, t);
    // Ten times faster from here on: the window forgets the slow start.
    let done = 100_000;
    let last = { perSecond: 0, etaMs: null as number | null };
    for (let t = 11_000; t <= 20_000; t += 1_000) {
      done += 100_000;
      last = clock.update(done, 10_000_000, t);
    }
    expect(last.perSecond).toBeCloseTo(100_000, -3);
  });

  it('has no ETA without a total', () => {
    expect(new ProgressClock(5_000, 0).update(10, null, 5_000).etaMs).toBeNull();
  });
});

describe('renderLine and formatEta', () => {
  it('draws a bar for a known share and a spinner otherwise, never wider than the terminal', () => {
    expect(renderLine({ share: 0.5, text: 'copy', frame: 0, columns: 80 })).toBe(`[${'#'.repeat(10)}${'.'.repeat(10)}]  50% copy`);
    expect(renderLine({ text: '12 files seen', frame: 1, columns: 80 })).toBe('\\ 12 files seen');
    expect(renderLine({ text: 'x'.repeat(200), frame: 0, columns: 40 }).length).toBeLessThan(40);
  });

  it('says the time left in the unit that fits', () => {
    expect(formatEta(null)).toBe('');
    expect(formatEta(12_400)).toBe('12 s left');
    expect(formatEta(200_000)).toBe('3 min 20 s left');
    expect(formatEta(7_500_000)).toBe('2 h 5 min left');
  });
});
