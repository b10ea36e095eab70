/**
 * A list taller than a browser lets an element be. Chromium caps an element's height near
 * 33.5M px and Firefox near 17.9M; at 32 px a row that is about 1M rows, and a catalog holds 3M
 * files. Past the cap the scroll height is clamped, so the tail of the list cannot be scrolled
 * to. Above MAX_SCROLL_HEIGHT the table keeps its real (physical) scroll height at the cap and
 * maps the scrollbar's range onto the list's (virtual) range proportionally: the top of the
 * scrollbar is the first row, its bottom the last, and the rows on screen are drawn where the
 * virtual offset puts them. Below it the mapping is the identity. Pure, so every edge is tested.
 */

/** Under both caps with room to spare (a browser's zoom scales the cap in CSS pixels). */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollScale {
  /** The list's full height: header and every row. */
  virtualHeight: number;
  /** The height the scrolling content really has (at most the cap). */
  physicalHeight: number;
  /** The visible height of the scrolling element. */
  viewport: number;
}

export function scrollScale(virtualHeight: number, viewport: number, max = MAX_SCROLL_HEIGHT): ScrollScale {
  return { virtualHeight, physicalHeight: Math.min(virtualHeight, max), viewport };
}

/** How far each scrolling range runs (0 when everything fits). */
function ranges(s: ScrollScale): { virtual: number; physical: number } {
  return { virtual: Math.max(0, s.virtualHeight - s.viewport), physical: Math.max(0, s.physicalHeight - s.viewport) };
}

/** The list offset (virtual) at a real scrollTop (physical). */
export function toVirtualOffset(s: ScrollScale, physical: number): number {
  const r = ranges(s);
  const p = Math.max(0, Math.min(r.physical, physical));
  if (r.physical === 0 || r.physical === r.virtual) return Math.min(p, r.virtual);
  return (p / r.physical) * r.virtual;
}

/** The real scrollTop (physical) that shows a list offset (virtual). */
export function toPhysicalOffset(s: ScrollScale, virtual: number): number {
  const r = ranges(s);
  const v = Math.max(0, Math.min(r.virtual, virtual));
  if (r.physical === 0 || r.physical === r.virtual) return Math.min(v, r.physical);
  return (v / r.virtual) * r.physical;
}

export interface VisibleRows {
  first: number;
  last: number;
  /** Subtract from a row's virtual top to place it in the physical content. */
  shift: number;
}

/**
 * The rows in view at a real scrollTop (with `overscan` more on each side) and the shift that
 * places them: a row's top in the content is header + index * rowHeight - shift.
 */
export function visibleRows(s: ScrollScale, physical: number, count: number, rowHeight: number, header: number, overscan = 0): VisibleRows | null {
  if (count <= 0) return null;
  const p = Math.max(0, Math.min(ranges(s).physical, physical));
  const v = toVirtualOffset(s, p);
  const first = Math.max(0, Math.floor((v - header) / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.floor((v + s.viewport - header) / rowHeight) + overscan);
  return { first: Math.min(first, last), last, shift: v - p };
}

/**
 * The list offset that brings a row into view: 'auto' scrolls only as far as needed (below the
 * sticky header, above the bottom edge), 'center' centres it; null when 'auto' needs no scroll.
 */
export function offsetForRow(s: ScrollScale, current: number, index: number, rowHeight: number, header: number, align: 'auto' | 'center'): number | null {
  const top = header + index * rowHeight;
  const max = ranges(s).virtual;
  let target: number;
  if (align === 'center') target = top + rowHeight / 2 - (s.viewport + header) / 2;
  else if (top < current + header) target = top - header;
  else if (top + rowHeight > current + s.viewport) target = top + rowHeight - s.viewport;
  else return null;
  return Math.max(0, Math.min(max, target));
}
