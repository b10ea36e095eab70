/**
 * Keyboard movement in the file table (a grid of rows): where the focus goes for a key, given
 * the row count and how many rows fit on screen. Pure, so every edge is tested without a DOM.
 */
export type GridMove = 'up' | 'down' | 'home' | 'end' | 'page-up' | 'page-down';

export function moveFor(key: string): GridMove | null {
  switch (key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'Home':
      return 'home';
    case 'End':
      return 'end';
    case 'PageUp':
      return 'page-up';
    case 'PageDown':
      return 'page-down';
    default:
      return null;
  }
}

/** The row focused after a move; null when the list is empty. */
export function nextFocus(focus: number | null, move: GridMove, count: number, pageRows: number): number | null {
  if (count <= 0) return null;
  const last = count - 1;
  const page = Math.max(1, pageRows - 1);
  if (focus === null) return move === 'end' ? last : 0;
  const to = (() => {
    switch (move) {
      case 'up':
        return focus - 1;
      case 'down':
        return focus + 1;
      case 'home':
        return 0;
      case 'end':
        return last;
      case 'page-up':
        return focus - page;
      case 'page-down':
        return focus + page;
    }
  })();
  return Math.max(0, Math.min(last, to));
}
