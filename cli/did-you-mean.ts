/** "Did you mean …" for misspelled commands and options. */

/**
 * Edit distance counting a swap of two neighbouring letters as one edit (optimal string
 * alignment), because swapped letters are the commonest typo: `--tabels` is one edit from
 * `--tables`, not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidates close enough to be what was meant, best first: within a third of the word's
 * length in edits (at least one, so `stat` finds `stats`), or starting with it (`coll`).
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  return candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= limit || (w.length >= 3 && c.toLowerCase().startsWith(w)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .map(({ c }) => c);
}

/** " Did you mean "a" or "b"?" (with a leading space), or "" when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[], show: (c: string) => string = (c) => `"${c}"`): string {
  const near = closest(word, candidates).slice(0, 3);
  if (near.length === 0) return '';
  const listed = near.length === 1 ? show(near[0] as string) : `${near.slice(0, -1).map(show).join(', ')} or ${show(near.at(-1) as string)}`;
  return ` Did you mean ${listed}?`;
}
