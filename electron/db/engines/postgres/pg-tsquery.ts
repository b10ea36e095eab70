/**
 * Renders the engine-neutral search tree (shared/search-query.ts) into tsquery input text.
 * Words go through the same word rule as indexed text (search-words.ts), so a term with
 * punctuation inside ("Dune.Part.Two") becomes a phrase of its words, as it does on tier 1.
 */
import type { SearchNode } from '../../../../shared/search-query';
import { searchWords } from './search-words';

/** A lexeme the indexer can never produce: for a term that holds no word at all. */
const NEVER = "'·'";

function phrase(text: string, prefix: boolean): string {
  const words = searchWords(text);
  if (words.length === 0) return NEVER;
  const parts = words.map((w, i) => (prefix && i === words.length - 1 ? `'${w}':*` : `'${w}'`));
  return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' <-> ')})`;
}

export function toTsquery(node: SearchNode): string {
  switch (node.kind) {
    case 'term':
      return phrase(node.text, node.prefix);
    case 'phrase':
      return phrase(node.text, false);
    case 'not':
      return `!${toTsquery(node.child)}`;
    case 'or':
      return `(${node.children.map(toTsquery).join(' | ')})`;
    case 'and':
      return `(${node.children.map(toTsquery).join(' & ')})`;
  }
}
