/**
 * COPY escaping, checked against a real PGlite: awkward text goes in through COPY and must
 * come back byte-for-byte.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { expectCode } from '../../conformance/expect-code';
import { CopyBuffer } from '../../engines/postgres/copy-buffer';
import { copyHexBytes, copyJson, copyLine, copyNumber, copyText } from './copy-text';
import { PgliteDriver } from '../../engines/postgres/pglite-driver';

const AWKWARD = [
  'plain',
  'tab\there',
  'line\nbreak',
  'carriage\rreturn',
  'back\\slash',
  '\\N',
  '\\.',
  'trailing backslash\\',
  "quote ' and \" both",
  'ünïcödé — 日本語 — emoji 🎬',
  '',
  ' leading and trailing ',
  '\t\n\r\\',
];

describe('COPY text encoding', () => {
  let dir: string;
  let driver: PgliteDriver;

  beforeAll(async () => {
    dir = makeTempDir('copy-text');
    driver = await PgliteDriver.open(path.join(dir, 'db'));
    await driver.exec('CREATE TABLE t (i integer, s text, n bigint, h bytea, j jsonb)');
  });

  afterAll(async () => {
    await driver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('escapes only what COPY needs', () => {
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('ünï 🎬')).toBe('ünï 🎬');
    expect(copyText(null)).toBe('\\N');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyNumber(null)).toBe('\\N');
    expect(copyHexBytes('00ff')).toBe('\\\\x00ff');
  });

  it('refuses NUL with a typed error', async () => {
    await expectCode(Promise.resolve().then(() => copyText('a\u0000b')), 'invalid-argument');
  });

  it('round-trips awkward text, numbers, bytes and JSON through a real COPY', async () => {
    const buffer = new CopyBuffer();
    AWKWARD.forEach((s, i) => {
      buffer.add(copyLine([String(i), copyText(s), copyNumber(i === 0 ? null : 2 ** 53 - i), copyHexBytes(i % 2 ? 'deadbeef' : null), copyJson({ s })]));
    });
    buffer.add(copyLine([String(AWKWARD.length), copyText(null), copyNumber(null), copyHexBytes(null), copyJson(null)]));
    expect(await driver.copyFrom('t', ['i', 's', 'n', 'h', 'j'], buffer.finish())).toBe(AWKWARD.length + 1);
    const { rows } = await driver.query<{ i: number; s: string | null; n: number | null; h: string | null; j: { s: string } | null }>(
      "SELECT i, s, n, encode(h, 'hex') AS h, j FROM t ORDER BY i",
    );
    expect(rows.map((r) => r.s)).toEqual([...AWKWARD, null]);
    expect(rows.map((r) => r.j?.s ?? null)).toEqual([...AWKWARD, null]);
    expect(rows[0]?.n).toBeNull();
    expect(rows[1]).toMatchObject({ n: 2 ** 53 - 1, h: 'deadbeef' });
    expect(rows[2]?.h).toBeNull();
  });

  it('splits large loads into chunks without breaking rows', async () => {
    await driver.exec('TRUNCATE t');
    const buffer = new CopyBuffer();
    const line = 'x\\ty'.repeat(1000);
    for (let i = 0; i < 2000; i++) buffer.add(copyLine([String(i), copyText(line), '\\N', '\\N', '\\N']));
    const chunks = buffer.finish();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.endsWith('\n'))).toBe(true);
    expect(await driver.copyFrom('t', ['i', 's', 'n', 'h', 'j'], chunks)).toBe(2000);
    const { rows } = await driver.query<{ n: number; ok: boolean }>('SELECT count(*) AS n, bool_and(s = $1) AS ok FROM t', [line]);
    expect(rows[0]).toEqual({ n: 2000, ok: true });
  });
});
