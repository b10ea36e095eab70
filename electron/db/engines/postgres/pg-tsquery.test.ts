import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../shared/search-query';
import { toTsquery } from './pg-tsquery';
import { searchDocument } from './search-document';
import { searchWords } from './search-words';

const render = (q: string): string => toTsquery(parseSearchQuery(q));

describe('toTsquery', () => {
  it.each([
    ['arrival', "'arrival'"],
    ['ARRIV*', "'arriv':*"],
    ['"main titles"', "('main' <-> 'titles')"],
    ['Dune.Part.Two', "('dune' <-> 'part' <-> 'two')"],
    ['Dune.Par*', "('dune' <-> 'par':*)"],
    ['x264-GRP', "('x264' <-> 'grp')"],
    ['dune OR vangelis', "('dune' | 'vangelis')"],
    ['dune | vangelis', "('dune' | 'vangelis')"],
    ['dune -featurette', "('dune' & !'featurette')"],
    ['dune NOT featurette', "('dune' & !'featurette')"],
    ['a -(x OR y)', "('a' & !('x' | 'y'))"],
    ['a -"x y"', "('a' & !('x' <-> 'y'))"],
    ['(a OR b) c', "(('a' | 'b') & 'c')"],
    ["it's", "('it' <-> 's')"],
    ['Café', "'cafe'"],
    ['say "hi"', "('say' & 'hi')"],
  ])('%s -> %s', (query, expected) => {
    expect(render(query)).toBe(expected);
  });

  it('never passes quotes, backslashes or operators through as syntax', () => {
    for (const q of ["a'b", 'a\\b', 'a:b', 'a&b', 'a!b', 'a<->b']) {
      expect(render(q)).toMatch(/^\('a' <-> 'b'\)$/u);
    }
  });
});

describe('searchDocument', () => {
  it('weights the name A, the subject B and the folder C, with a gap between fields', () => {
    expect(searchDocument('Main Titles.flac', 'Music/OST', 'Vangelis - Main')).toBe(
      "'main':1A,9B 'titles':2A 'flac':3A 'music':5C 'ost':6C 'vangelis':8B",
    );
  });

  it('uses the word rule of queries (letters and digits, folded case and diacritics)', () => {
    expect(searchWords('Ünïcode_Straße 2160p.MKV')).toEqual(['unicode', 'straße', '2160p', 'mkv']);
  });
});
