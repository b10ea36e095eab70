/**
 * Which rows of a long list are selected, as Windows Explorer does it: click selects one,
 * Ctrl+click toggles one, Shift+click extends from the anchor, Ctrl+A takes every row.
 * Kept as sorted, disjoint index ranges so "all of a million rows" costs one range, not a
 * million ids; the rows' ids are read only when an action needs them.
 */
export interface Range {
  start: number;
  /** Inclusive. */
  end: number;
}

export interface Selection {
  ranges: readonly Range[];
  /** Where Shift extends from. */
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ranges: [], anchor: null };

export function normalize(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter((r) => r.end >= r.start).sort((a, b) => a.start - b.start);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function isSelected(selection: Selection, index: number): boolean {
  return selection.ranges.some((r) => index >= r.start && index <= r.end);
}

export function selectedCount(selection: Selection): number {
  return selection.ranges.reduce((n, r) => n + r.end - r.start + 1, 0);
}

function without(ranges: readonly Range[], index: number): Range[] {
  return ranges.flatMap((r) =>
    index < r.start || index > r.end
      ? [r]
      : [
          { start: r.start, end: index - 1 },
          { start: index + 1, end: r.end },
        ].filter((x) => x.end >= x.start),
  );
}

export interface Modifiers {
  ctrl?: boolean;
  shift?: boolean;
}

/** A click (or Space) on a row. */
export function clickRow(selection: Selection, index: number, mods: Modifiers = {}): Selection {
  if (mods.shift && selection.anchor !== null) {
    const range = { start: Math.min(selection.anchor, index), end: Math.max(selection.anchor, index) };
    return { ranges: normalize(mods.ctrl ? [...selection.ranges, range] : [range]), anchor: selection.anchor };
  }
  if (mods.ctrl) {
    const ranges = isSelected(selection, index) ? without(selection.ranges, index) : normalize([...selection.ranges, { start: index, end: index }]);
    return { ranges, anchor: index };
  }
  return { ranges: [{ start: index, end: index }], anchor: index };
}

export function selectAll(count: number): Selection {
  return count > 0 ? { ranges: [{ start: 0, end: count - 1 }], anchor: 0 } : EMPTY_SELECTION;
}

/** Selection that includes the focused row when nothing is selected (a context menu, Delete). */
export function orFocused(selection: Selection, focus: number | null): Selection {
  if (selection.ranges.length > 0 || focus === null) return selection;
  return { ranges: [{ start: focus, end: focus }], anchor: focus };
}
