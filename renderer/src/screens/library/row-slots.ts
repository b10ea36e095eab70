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
