import { describe, expect, it } from 'vitest';
import { moveFor, nextFocus } from './grid-keys';
import { EMPTY_SELECTION, clickRow, isSelected, normalize, orFocused, selectAll, selectedCount } from './selection';

describe('selection', () => {
  it('selects one row on a plain click and replaces the previous selection', () => {
    const a = clickRow(EMPTY_SELECTION, 4);
    const b = clickRow(a, 9);
    expect(b.ranges).toEqual([{ start: 9, end: 9 }]);
    expect(isSelected(b, 4)).toBe(false);
  });

  it('toggles with Ctrl and extends from the anchor with Shift', () => {
    let s = clickRow(EMPTY_SELECTION, 2);
    s = clickRow(s, 5, { ctrl: true });
    expect(selectedCount(s)).toBe(2);
    s = clickRow(s, 8, { shift: true });
    expect(s.ranges).toEqual([{ start: 5, end: 8 }]);
    s = clickRow(s, 6, { ctrl: true });
    expect(s.ranges).toEqual([
      { start: 5, end: 5 },
      { start: 7, end: 8 },
    ]);
    s = clickRow(s, 1, { shift: true, ctrl: true });
    expect(s.ranges).toEqual([{ start: 1, end: 8 }]);
  });

  it('takes a million rows as one range', () => {
    const s = selectAll(1_000_000);
    expect(s.ranges).toHaveLength(1);
    expect(selectedCount(s)).toBe(1_000_000);
    expect(selectAll(0)).toBe(EMPTY_SELECTION);
  });

  it('merges touching ranges', () => {
    expect(normalize([{ start: 5, end: 6 }, { start: 0, end: 4 }, { start: 9, end: 9 }])).toEqual([
      { start: 0, end: 6 },
      { start: 9, end: 9 },
    ]);
  });

  it('falls back to the focused row when nothing is selected', () => {
    expect(orFocused(EMPTY_SELECTION, 3).ranges).toEqual([{ start: 3, end: 3 }]);
    expect(orFocused(EMPTY_SELECTION, null)).toBe(EMPTY_SELECTION);
  });
});

describe('grid keys', () => {
  it('maps the navigation keys and ignores others', () => {
    expect(moveFor('ArrowDown')).toBe('down');
    expect(moveFor('PageUp')).toBe('page-up');
    expect(moveFor('a')).toBeNull();
  });

  it('moves within bounds', () => {
    expect(nextFocus(0, 'up', 10, 5)).toBe(0);
    expect(nextFocus(9, 'down', 10, 5)).toBe(9);
    expect(nextFocus(2, 'page-down', 100, 11)).toBe(12);
    expect(nextFocus(95, 'page-down', 100, 11)).toBe(99);
    expect(nextFocus(5, 'page-up', 100, 11)).toBe(0);
    expect(nextFocus(40, 'end', 1_000_000, 20)).toBe(999_999);
    expect(nextFocus(null, 'down', 3, 5)).toBe(0);
    expect(nextFocus(null, 'end', 3, 5)).toBe(2);
    expect(nextFocus(1, 'down', 0, 5)).toBeNull();
  });
});
