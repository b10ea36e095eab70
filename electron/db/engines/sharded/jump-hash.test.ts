/** Properties of shard routing that re-sharding and crash repair rely on. */
import { describe, expect, it } from 'vitest';
import { jumpHash, mix64, shardOf } from './jump-hash';

const ids = Array.from({ length: 100_000 }, (_, i) => i + 1);

describe('shardOf', () => {
  it('stays in range and gives the same answer every time', () => {
    for (const shards of [1, 2, 3, 4, 7, 8, 16]) {
      for (const id of ids.slice(0, 5_000)) {
        const s = shardOf(id, shards);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(shards);
        expect(shardOf(id, shards)).toBe(s);
      }
    }
  });

  it('spreads sequential file ids evenly', () => {
    for (const shards of [4, 8]) {
      const counts = new Array<number>(shards).fill(0);
      for (const id of ids) counts[shardOf(id, shards)]! += 1;
      const expected = ids.length / shards;
      for (const c of counts) expect(Math.abs(c - expected) / expected).toBeLessThan(0.03);
    }
  });

  it('moves a key only to a new shard when shards are added, about (M-N)/M of them', () => {
    for (const [from, to] of [
      [4, 8],
      [4, 5],
      [8, 12],
    ] as const) {
      let moved = 0;
      for (const id of ids) {
        const a = shardOf(id, from);
        const b = shardOf(id, to);
        if (a !== b) {
          moved++;
          expect(b).toBeGreaterThanOrEqual(from);
        }
      }
      const share = (to - from) / to;
      expect(Math.abs(moved / ids.length - share) / share).toBeLessThan(0.05);
    }
  });

  it('refuses a shard count that is not a positive whole number', () => {
    expect(() => jumpHash(1n, 0)).toThrow(RangeError);
    expect(() => jumpHash(1n, 2.5)).toThrow(RangeError);
    expect(mix64(1n)).not.toBe(mix64(2n));
  });
});
