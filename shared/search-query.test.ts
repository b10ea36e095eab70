import { describe, expect, it } from 'vitest';
import { StrataError } from './errors';
import { parseSearchQuery } from './search-query';

describe('parseSearchQuery', () => {
  it('reads words as AND, with prefixes and phrases', () => {
    expect(parseSearchQuery('dune 2021')).toEqual({
      kind: 'and',
      children: [
        { kind: 'term', text: 'dune', prefix: false },
        { kind: 'term', text: '2021', prefix: false },
      ],
    });
    expect(parseSearchQuery('dun*')).toEqual({ kind: 'term', text: 'dun', prefix: true });
    expect(parseSearchQuery('"dune part two"')).toEqual({ kind: 'phrase', text: 'dune part two' });
  });

  it('reads OR, |, NOT, - and parentheses', () => {
    expect(parseSearchQuery('a OR b | c')).toEqual({
      kind: 'or',
      children: ['a', 'b', 'c'].map((text) => ({ kind: 'term', text, prefix: false })),
    });
    expect(parseSearchQuery('a -b NOT c')).toEqual({
      kind: 'and',
      children: [
        { kind: 'term', text: 'a', prefix: false },
        { kind: 'not', child: { kind: 'term', text: 'b', prefix: false } },
        { kind: 'not', child: { kind: 'term', text: 'c', prefix: false } },
      ],
    });
    expect(parseSearchQuery('(a OR b) c')).toEqual({
      kind: 'and',
      children: [
        { kind: 'or', children: [{ kind: 'term', text: 'a', prefix: false }, { kind: 'term', text: 'b', prefix: false }] },
        { kind: 'term', text: 'c', prefix: false },
      ],
    });
  });

  it('keeps punctuation inside words and drops words with no letters or digits', () => {
    expect(parseSearchQuery('x264-GRP ---')).toEqual({ kind: 'term', text: 'x264-GRP', prefix: false });
    expect(parseSearchQuery('lowercase or is a word')).toMatchObject({ kind: 'and' });
    expect(parseSearchQuery('"unclosed phrase')).toEqual({ kind: 'phrase', text: 'unclosed phrase' });
  });

  it.each([
    ['', /at least one word/u],
    ['   ', /at least one word/u],
    ['-cam', /not only words to leave out/u],
    ['NOT cam', /not only words to leave out/u],
    ['a OR -b', /Each side of OR/u],
    ['-(-a) b', /cannot contain another exclusion/u],
    ['x'.repeat(501), /too long/u],
    [Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '), /too many words/u],
  ])('refuses %j', (input, message) => {
    expect(() => parseSearchQuery(input)).toThrow(StrataError);
    expect(() => parseSearchQuery(input)).toThrow(message);
  });
});
