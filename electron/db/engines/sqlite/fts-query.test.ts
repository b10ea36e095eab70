import { describe, expect, it } from 'vitest';
import { parseSearchQuery } from '../../../../shared/search-query';
import { toFts5 } from './fts-query';

const render = (q: string): string => toFts5(parseSearchQuery(q));

describe('toFts5', () => {
  it('quotes every word so punctuation never becomes an operator', () => {
    expect(render('x264-GRP')).toBe('"x264-GRP"');
    expect(render('say "hi"')).toBe('("say" AND "hi")');
    expect(render('a"b')).toBe('("a" AND "b")');
  });

  it('renders prefixes, OR, and exclusions after the positives', () => {
    expect(render('dun*')).toBe('"dun" *');
    expect(render('a OR b')).toBe('("a" OR "b")');
    expect(render('-x a b')).toBe('(("a" AND "b") NOT "x")');
    expect(render('a -x -y')).toBe('(("a" NOT "x") NOT "y")');
    expect(render('a -(x OR y)')).toBe('("a" NOT ("x" OR "y"))');
  });
});
