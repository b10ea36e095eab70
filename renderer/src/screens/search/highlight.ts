/**
 * What to highlight in a search hit: the words the query looks for (not the ones it leaves
 * out), found case-insensitively at the start of a word as the full-text index matches them,
 * a prefix term (dun*) highlighting the start it names.
 */
import { parseSearchQuery, type SearchNode } from '../../../../shared/search-query';

export interface HighlightTerm {
  text: string;
  prefix: boolean;
}

export interface Piece {
  text: string;
  match: boolean;
}

function collect(node: SearchNode, out: HighlightTerm[]): void {
  switch (node.kind) {
    case 'term':
      out.push({ text: node.text, prefix: node.prefix });
      return;
    case 'phrase':
      for (const word of node.text.split(/[^\p{L}\p{N}]+/u)) if (word) out.push({ text: word, prefix: false });
      return;
    case 'not':
      return;
    default:
      for (const child of node.children) collect(child, out);
  }
}

/** The positive terms of a query; [] when it does not parse (the search itself then says why). */
export function highlightTerms(query: string): HighlightTerm[] {
  let node: SearchNode;
  try {
    node = parseSearchQuery(query);
  } catch {
    return [];
  }
  const out: HighlightTerm[] = [];
  collect(node, out);
  return out.filter((t) => t.text.length > 0);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Splits text into matched and unmatched pieces; every matched piece starts a word. */
export function highlight(text: string, terms: readonly HighlightTerm[]): Piece[] {
  if (terms.length === 0 || text === '') return [{ text, match: false }];
  const lower = text.toLowerCase();
  const marks = new Uint8Array(text.length);
  for (const term of terms) {
    const needle = term.text.toLowerCase();
    let at = lower.indexOf(needle);
    while (at !== -1) {
      const startsWord = at === 0 || !WORD_CHAR.test(text[at - 1] as string);
      const after = at + needle.length;
      // A whole-word term must end the word too; a prefix term may run on into it.
      const endsWord = term.prefix || after >= text.length || !WORD_CHAR.test(text[after] as string);
      if (startsWord && endsWord) marks.fill(1, at, after);
      at = lower.indexOf(needle, at + 1);
    }
  }
  const pieces: Piece[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      pieces.push({ text: text.slice(start, i), match: marks[start] === 1 });
      start = i;
    }
  }
  return pieces;
}
