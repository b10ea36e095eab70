/**
 * Where the file table's rows go, chosen so that scrolling changes as few rows as it can.
 *
 * - A row's top is counted from a base row that moves only every BASE_STEP rows, and one
 *   wrapper around the rows carries the rest of the offset (the base's place minus the scaled
 *   scroll's shift, which changes on every scroll step past the height cap). With each row's
 *   top counted from the list's start, every row's transform changed on every step and every
 *   row rendered again; now a scroll step re-renders only the rows that came into view.
 * - A row's React key is its slot (index modulo a slot count at least the window's length), so
 *   a row that leaves the window hands its DOM elements to the one that comes in, and a jump
 *   changes text in the rows already there instead of removing and creating every element.
 * Pure: FileTable renders what it returns; row-slots.test.ts holds the invariants.
 */

export const BASE_STEP = 1024;

export interface PlacedRow {
  index: number;
  /** Unique among the rows of one window. */
  key: number;
  /** From the wrapper's top. */
  top: number;
}

export interface RowPlacement {
  /** The wrapper's offset in the scrolling content (px). */
  offset: number;
  rows: PlacedRow[];
}

/** Slots for a window of `length` rows: never fewer than before, so keys stay put while it scrolls. */
export function slotCount(previous: number, length: number): number {
  return Math.max(previous, Math.ceil(length / 16) * 16);
}

export function placeRows(first: number, last: number, shift: number, rowHeight: number, slots: number): RowPlacement {
  const base = Math.floor(first / BASE_STEP) * BASE_STEP;
  const rows: PlacedRow[] = [];
  for (let i = first; i <= last; i++) rows.push({ index: i, key: i % slots, top: (i - base) * rowHeight });
  return { offset: base * rowHeight - shift, rows };
}

/**
 * Which rows show their file in this render, so that no frame lays out and paints a whole
 * window of new rows at once (a jump or a scrollbar drag changes every row; the page that
 * arrives after it fills every row): a row keeps the file it already shows; at most `budget`
 * rows take a new one, the rows in view (`inView`, indexes) before the overscan; every other
 * row shows as being read (never another row's file) and `deferred` asks for a render in the
 * next frame. `shown` maps a row's key to the id of the file it showed last.
 */
export function revealRows<T extends { id: number }>(
  rows: readonly PlacedRow[],
  rowAt: (index: number) => T | undefined,
  shown: ReadonlyMap<number, number>,
  budget: number,
  inView: { first: number; last: number },
): { files: (T | undefined)[]; deferred: boolean } {
  const files: (T | undefined)[] = rows.map(() => undefined);
  let left = budget;
  let deferred = false;
  const order = rows.map((_, i) => i);
  const inside = (i: number): boolean => {
    const index = rows[i]?.index ?? -1;
    return index >= inView.first && index <= inView.last;
  };
  order.sort((a, b) => Number(inside(b)) - Number(inside(a)) || a - b);
  for (const i of order) {
    const row = rows[i];
    if (!row) continue;
    const file = rowAt(row.index);
    if (!file) continue;
    if (shown.get(row.key) === file.id) files[i] = file;
    else if (left > 0) {
      left--;
      files[i] = file;
    } else deferred = true;
  }
  return { files, deferred };
}
