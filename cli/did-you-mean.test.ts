import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from './did-you-mean';

describe('did you mean', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('tabels', 'tables')).toBe(1);
    expect(editDistance('stat', 'stats')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('suggests what is close, best first, and nothing when nothing is', () => {
    const commands = ['stats', 'search', 'serve', 'collections', 'check', 'check-server'];
    expect(closest('stat', commands)).toEqual(['stats']);
    expect(closest('serch', commands)).toEqual(['search']);
    expect(closest('coll', commands)).toEqual(['collections']);
    expect(closest('frobnicate', commands)).toEqual([]);
    expect(didYouMean('chek', commands)).toBe(' Did you mean "check"?');
    expect(didYouMean('frobnicate', commands)).toBe('');
  });
});
