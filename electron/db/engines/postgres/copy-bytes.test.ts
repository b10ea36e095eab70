/**
 * COPY rows written as bytes, checked against a real PGlite: what goes in through COPY must
 * come back value for value, also when rows span chunk boundaries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { expectCode } from '../../conformance/expect-code';
import { COPY_CHUNK_BYTES, CopyBytes } from './copy-bytes';
import { copyHexBytes, copyNumber, copyText } from '../../migration/rows/copy-text';
import { PgliteDriver } from './pglite-driver';

const TEXTS = ['plain', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', '\\.', 'ünïcödé — 日本語 — 🎬', '', '\t\n\r\\'];
const NUMBERS = [0, 1, 9, 10, 99, 100, 12_345, -1, -10, -987_654_321, 2 ** 31, 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000];

describe('COPY rows as bytes', () => {
  let dir: string;
  let driver: PgliteDriver;

  beforeAll(async () => {
    dir = makeTempDir('copy-bytes');
    driver = await PgliteDriver.open(path.join(dir, 'db'));
    await driver.exec('CREATE TABLE t (i integer, s text, n bigint, h bytea)');
  });

  afterAll(async () => {
    await driver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same bytes as the string encoders', () => {
    const out = new CopyBytes();
    const lines: string[] = [];
    NUMBERS.forEach((n, i) => {
      const s = TEXTS[i % TEXTS.length] as string;
      const h = i % 2 ? 'deadbeef' : null;
      out.number(i).text(s).number(n).hexBytes(h).end();
      lines.push(`${i}\t${copyText(s)}\t${copyNumber(n)}\t${copyHexBytes(h)}\n`);
    });
    out.number(null).text(null).number(undefined).hexBytes(undefined).end();
    lines.push('\\N\t\\N\t\\N\t\\N\n');
    expect(out.rowCount).toBe(NUMBERS.length + 1);
    expect(Buffer.concat(out.finish()).toString('utf8')).toBe(lines.join(''));
    expect(out.finish()).toEqual([]);
  });

  it('refuses NUL with a typed error', async () => {
    await expectCode(Promise.resolve().then(() => new CopyBytes().text('a\u0000b')), 'invalid-argument');
  });

  it('round-trips rows that span chunks through a real COPY', async () => {
    const out = new CopyBytes();
    const long = `${'ü\\t'.repeat(5_000)}🎬`;
    const rows = 400;
    for (let i = 0; i < rows; i++) {
      out.number(i).text(i % 3 === 0 ? long : (TEXTS[i % TEXTS.length])).number(NUMBERS[i % NUMBERS.length]).hexBytes(i % 2 ? '00ff10' : null).end();
    }
    const chunks = out.finish();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= COPY_CHUNK_BYTES)).toBe(true);
    expect(await driver.copyFrom('t', ['i', 's', 'n', 'h'], chunks)).toBe(rows);
    const back = (await driver.query<{ i: number; s: string; n: number; h: string | null }>("SELECT i, s, n, encode(h, 'hex') AS h FROM t ORDER BY i")).rows;
    expect(back).toHaveLength(rows);
    back.forEach((r, i) => {
      expect(r).toEqual({ i, s: i % 3 === 0 ? long : TEXTS[i % TEXTS.length], n: NUMBERS[i % NUMBERS.length], h: i % 2 ? '00ff10' : null });
    });
  });
});
