/**
 * Builds a file's tsvector in the app, as tsvector input text, so indexing follows the same
 * word rule as queries (search-words.ts) and is independent of the server's text-search
 * configuration. Weights give the ranking order of tier 1 (name > subject > folder): A for
 * the name, B for the subject, C for the folder path. Each field's positions start two past
 * the previous field's last word, so a phrase never matches across two fields (as in FTS5,
 * where a phrase lives in one column).
 */
import { searchWords } from './search-words';

/** tsvector positions stop at 16383; longer texts keep their first words. */
const MAX_POSITION = 16_383;

export function searchDocument(name: string, folder: string, subject: string | null): string {
  const positions = new Map<string, string[]>();
  let next = 1;
  const add = (text: string | null, weight: 'A' | 'B' | 'C'): void => {
    for (const word of searchWords(text)) {
      if (next > MAX_POSITION) return;
      const list = positions.get(word);
      const entry = `${next}${weight}`;
      if (list) list.push(entry);
      else positions.set(word, [entry]);
      next++;
    }
    next++;
  };
  add(name, 'A');
  add(folder, 'C');
  add(subject, 'B');
  // Words hold only letters and digits (no quote or backslash), so quoting needs no escapes.
  return [...positions].map(([word, list]) => `'${word}':${list.join(',')}`).join(' ');
}
