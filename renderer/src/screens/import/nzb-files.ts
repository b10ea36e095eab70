/**
 * Which dropped or picked files are NZBs. Folders are expanded before this (react-dropzone's
 * file-selector walks directory entries); everything else is reported by name, never sent.
 */

/** .nzb and .nzb.gz, whatever the case (Windows names are case-insensitive). */
export function isNzbName(name: string): boolean {
  return /\.nzb(\.gz)?$/iu.test(name);
}

export interface SortedFiles<F> {
  nzbs: F[];
  /** Names of what is not an NZB (shown to the user, not imported). */
  rejected: string[];
}

/** The NZBs among `files`, each once (a folder and a file in it can both be dropped). */
export function sortDropped<F extends { name: string; size: number }>(files: readonly F[], pathOf: (f: F) => string = (f) => f.name): SortedFiles<F> {
  const nzbs: F[] = [];
  const rejected: string[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const key = `${pathOf(f)}\u0000${f.size}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (isNzbName(f.name)) nzbs.push(f);
    else rejected.push(pathOf(f));
  }
  return { nzbs, rejected };
}

/** One line for the rejected files: the first few names, then how many more. */
export function describeRejected(names: readonly string[], shown = 3): string {
  if (names.length === 0) return '';
  const head = names.slice(0, shown).map((n) => n.split(/[/\\]/u).pop() ?? n);
  const more = names.length - head.length;
  const list = more > 0 ? `${head.join(', ')} and ${more} more` : head.join(', ');
  return `${names.length === 1 ? 'This file is' : `${names.length} files are`} not an NZB and ${names.length === 1 ? 'was' : 'were'} left out: ${list}.`;
}
