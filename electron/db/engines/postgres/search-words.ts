/**
 * The word rule of full-text search on Postgres, applied to indexed text and to queries alike
 * so both sides always agree. It mirrors tier 1's FTS5 `unicode61 remove_diacritics 2`
 * tokenizer: a word is a run of letters and digits, case and diacritics are folded, and
 * everything else separates words. Postgres' own text parser is deliberately not used: it
 * reads "Dune.Part.Two.mkv" as one host name, so "dune" would not find it.
 */

/** Longer words are cut, on both sides, well below tsvector's 2 KiB lexeme limit. */
export const MAX_WORD_LENGTH = 200;

export function searchWords(text: string | null | undefined): string[] {
  if (!text) return [];
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const words = folded.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.map((w) => (w.length > MAX_WORD_LENGTH ? w.slice(0, MAX_WORD_LENGTH) : w));
}
