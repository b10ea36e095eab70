import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_HEIGHT, offsetForRow, scrollScale, toPhysicalOffset, toVirtualOffset, visibleRows } from './scroll-scale';

const ROW = 32;
const HEADER = 32;
const VIEW = 600;
const height = (rows: number): number => HEADER + rows * ROW;

describe('scroll scale', () => {
  it('is the identity when the list fits under the cap', () => {
    const s = scrollScale(height(37_458), VIEW);
    expect(s.physicalHeight).toBe(height(37_458));
    for (const p of [0, 1, 12_345, height(37_458) - VIEW]) {
      expect(toVirtualOffset(s, p)).toBe(p);
      expect(toPhysicalOffset(s, p)).toBe(p);
    }
    const rows = visibleRows(s, 3_200, 37_458, ROW, HEADER);
    expect(rows).toEqual({ first: 99, last: 117, shift: 0 });
  });

  it('keeps 3M rows under the cap, first and last row reachable by the scrollbar', () => {
    const count = 3_000_000;
    const s = scrollScale(height(count), VIEW);
    expect(height(count)).toBeGreaterThan(33_554_428); // more than Chromium can hold
    expect(s.physicalHeight).toBe(MAX_SCROLL_HEIGHT);
    const maxScroll = MAX_SCROLL_HEIGHT - VIEW;
    // Scrollbar at the top: the first rows, placed as without scaling.
    expect(visibleRows(s, 0, count, ROW, HEADER)).toMatchObject({ first: 0, shift: 0 });
    // Scrollbar at the bottom: the last row, ending exactly at the content's bottom edge.
    const end = visibleRows(s, maxScroll, count, ROW, HEADER);
    expect(end?.last).toBe(count - 1);
    const lastTop = HEADER + (count - 1) * ROW - (end?.shift ?? 0);
    expect(lastTop + ROW).toBeCloseTo(MAX_SCROLL_HEIGHT, 3);
    // Past the end (a browser overshoot) is clamped, never beyond the last row.
    expect(visibleRows(s, maxScroll + 5_000, count, ROW, HEADER)?.last).toBe(count - 1);
    // Halfway on the scrollbar is halfway down the list.
    const mid = visibleRows(s, maxScroll / 2, count, ROW, HEADER);
    expect(Math.abs((mid?.first ?? 0) - count / 2)).toBeLessThan(VIEW / ROW);
  });

  it('maps both ways consistently and monotonically', () => {
    const s = scrollScale(height(5_000_000), VIEW);
    let previous = -1;
    for (let p = 0; p <= s.physicalHeight - VIEW; p += 997_123) {
      const v = toVirtualOffset(s, p);
      expect(v).toBeGreaterThan(previous);
      previous = v;
      expect(toPhysicalOffset(s, v)).toBeCloseTo(p, 6);
    }
    expect(toVirtualOffset(s, s.physicalHeight - VIEW)).toBeCloseTo(height(5_000_000) - VIEW, 3);
    expect(toPhysicalOffset(s, Number.MAX_SAFE_INTEGER)).toBe(s.physicalHeight - VIEW);
    expect(toPhysicalOffset(s, -10)).toBe(0);
  });

  it('places the rows on screen inside the viewport at any scroll position', () => {
    const count = 2_000_000;
    const s = scrollScale(height(count), VIEW);
    for (const p of [0, 1, 4_321_987, s.physicalHeight - VIEW - 1, s.physicalHeight - VIEW]) {
      const r = visibleRows(s, p, count, ROW, HEADER);
      if (!r) throw new Error('no rows');
      const firstTop = HEADER + r.first * ROW - r.shift;
      const lastBottom = HEADER + (r.last + 1) * ROW - r.shift;
      // The drawn rows cover the viewport [p, p + VIEW] (below the header's own height).
      expect(firstTop).toBeLessThanOrEqual(p + HEADER);
      expect(lastBottom).toBeGreaterThanOrEqual(Math.min(p + VIEW, s.physicalHeight));
      expect(r.last - r.first).toBeLessThanOrEqual(Math.ceil(VIEW / ROW) + 1);
    }
    expect(visibleRows(s, 0, 0, ROW, HEADER)).toBeNull();
  });

  it('scrolls a row into view only as far as needed, or centres it', () => {
    const s = scrollScale(height(3_000_000), VIEW);
    // Already in view: no scroll.
    expect(offsetForRow(s, 0, 3, ROW, HEADER, 'auto')).toBeNull();
    // Below: its bottom at the viewport's bottom edge.
    expect(offsetForRow(s, 0, 100, ROW, HEADER, 'auto')).toBe(HEADER + 101 * ROW - VIEW);
    // Above (hidden under the sticky header): its top just below the header.
    expect(offsetForRow(s, 10_000, 100, ROW, HEADER, 'auto')).toBe(100 * ROW);
    // The last row (End): the end of the list, which maps to the end of the scrollbar.
    const end = offsetForRow(s, 0, 2_999_999, ROW, HEADER, 'auto') ?? 0;
    expect(end).toBe(height(3_000_000) - VIEW);
    expect(toPhysicalOffset(s, end)).toBe(s.physicalHeight - VIEW);
    // Centred, clamped at the top.
    expect(offsetForRow(s, 0, 1_000, ROW, HEADER, 'center')).toBe(HEADER + 1_000 * ROW + ROW / 2 - (VIEW + HEADER) / 2);
    expect(offsetForRow(s, 5_000, 0, ROW, HEADER, 'center')).toBe(0);
  });
});
