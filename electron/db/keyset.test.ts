import { describe, expect, it } from 'vitest';
import { StrataError } from '../../shared/errors';
import { decodeCursor, encodeCursor } from './keyset';

describe('keyset cursors', () => {
  it('round-trip the key of their own listing', () => {
    const cursor = encodeCursor('files:1', ['Ünïcode name', 42]);
    expect(decodeCursor('files:1', cursor, 2)).toEqual(['Ünïcode name', 42]);
  });

  it('refuse cursors of another listing, another arity, or garbage', () => {
    const cursor = encodeCursor('files:1', ['a', 1]);
    expect(() => decodeCursor('files:2', cursor, 2)).toThrow(StrataError);
    expect(() => decodeCursor('files:1', cursor, 3)).toThrow(/another listing/u);
    expect(() => decodeCursor('files:1', '%%%', 2)).toThrow(/not valid/u);
    expect(() => decodeCursor('files:1', encodeCursor('files:1', [{} as never, 1]), 2)).toThrow(StrataError);
  });
});
