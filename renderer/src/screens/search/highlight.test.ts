import { describe, expect, it } from 'vitest';
import { highlight, highlightTerms } from './highlight';

const marked = (text: string, query: string): string =>
  highlight(text, highlightTerms(query))
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('highlight', () => {
  it('marks every positive word, case-insensitively, at word starts', () => {
    expect(marked('Dune.Part.Two.2024.mkv', 'dune two')).toBe('[Dune].Part.[Two].2024.mkv');
    expect(marked('sandune dune', 'dune')).toBe('sandune [dune]');
  });

  it('marks the start a prefix term names', () => {
    expect(marked('Arrakis arrival', 'arr*')).toBe('[Arr]akis [arr]ival');
  });

  it('marks the words of a phrase and either side of OR, not the excluded ones', () => {
    expect(marked('part two of dune, cam', '"part two" OR dune -cam')).toBe('[part] [two] of [dune], cam');
  });

  it('keeps whole words whole', () => {
    expect(marked('dunes', 'dune')).toBe('dunes');
  });

  it('leaves text alone when the query does not parse or is empty', () => {
    expect(highlightTerms('-only')).toEqual([]);
    expect(highlight('abc', [])).toEqual([{ text: 'abc', match: false }]);
  });
});
