import { describe, expect, it } from 'vitest';
import { BASE_STEP, placeRows, slotCount } from './row-slots';

describe('placeRows', () => {
  it('puts every row where the scaled scroll says (wrapper offset + row top)', () => {
    for (const [first, last, shift] of [
      [0, 30, 0],
      [1_000, 1_040, 0],
      [512_345, 512_380, 8_123_456.5],
      [999_970, 999_999, 16_999_000],
    ] as const) {
      const p = placeRows(first, last, shift, 32, slotCount(0, last - first + 1));
      for (const r of p.rows) expect(p.offset + r.top).toBeCloseTo(r.index * 32 - shift, 6);
    }
  });

  it('keeps the tops of rows that stay in view while the window scrolls within a base step', () => {
    const before = placeRows(2_050, 2_080, 100, 32, 32);
    const after = placeRows(2_051, 2_081, 132, 32, 32);
    const top = (rows: typeof before.rows, i: number) => rows.find((r) => r.index === i)?.top;
    for (let i = 2_051; i <= 2_080; i++) expect(top(after.rows, i)).toBe(top(before.rows, i));
    expect(Math.floor(2_081 / BASE_STEP)).toBe(Math.floor(2_050 / BASE_STEP));
  });

  it('gives the rows of one window unique keys, and a row keeps its key while it stays in view', () => {
    const slots = slotCount(0, 45);
    for (const first of [0, 17, 1_023, 1_024, 777_777]) {
      const keys = placeRows(first, first + 44, 0, 32, slots).rows.map((r) => r.key);
      expect(new Set(keys).size).toBe(45);
    }
    const a = placeRows(100, 144, 0, 32, slots).rows;
    const b = placeRows(101, 145, 0, 32, slots).rows;
    for (const r of b.slice(0, -1)) expect(r.key).toBe(a.find((x) => x.index === r.index)?.key);
  });

  it('never takes slots away, so a shorter window keeps its keys', () => {
    expect(slotCount(0, 45)).toBe(48);
    expect(slotCount(48, 20)).toBe(48);
    expect(slotCount(48, 50)).toBe(64);
  });
});
