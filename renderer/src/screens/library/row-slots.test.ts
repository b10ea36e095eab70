import { describe, expect, it } from 'vitest';
import { BASE_STEP, placeRows, revealRows, slotCount } from './row-slots';

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

describe('revealRows', () => {
  const file = (index: number) => ({ id: 1_000 + index });
  const window = (first: number, last: number) => placeRows(first, last, 0, 32, 32).rows;

  it('fills at most the budget of new rows a render, the rows in view first', () => {
    const rows = window(100, 129);
    const { files, deferred } = revealRows(rows, file, new Map(), 10, { first: 104, last: 125 });
    expect(deferred).toBe(true);
    const filled = rows.filter((_, i) => files[i]).map((r) => r.index);
    expect(filled).toEqual([104, 105, 106, 107, 108, 109, 110, 111, 112, 113]);
  });

  it('keeps the files rows already show, and never shows a row another row’s file', () => {
    const rows = window(100, 129);
    const shown = new Map(rows.map((r) => [r.key, file(r.index).id]));
    const same = revealRows(rows, file, shown, 0, { first: 104, last: 125 });
    expect(same.deferred).toBe(false);
    expect(same.files.map((f) => f?.id)).toEqual(rows.map((r) => file(r.index).id));
    // A jump: every key now names another row, so each shows its own file or none.
    const jumped = window(5_000, 5_029);
    const after = revealRows(jumped, file, shown, 12, { first: 5_004, last: 5_025 });
    expect(after.deferred).toBe(true);
    jumped.forEach((r, i) => expect([undefined, file(r.index).id]).toContain(after.files[i]?.id));
    expect(after.files.filter(Boolean)).toHaveLength(12);
  });

  it('leaves rows not read yet empty without spending the budget or deferring', () => {
    const rows = window(0, 29);
    const { files, deferred } = revealRows(rows, (i) => (i < 5 ? file(i) : undefined), new Map(), 16, { first: 0, last: 25 });
    expect(deferred).toBe(false);
    expect(files.filter(Boolean)).toHaveLength(5);
  });
});
