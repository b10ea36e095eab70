/**
 * The app's copy of PostgreSQL's record hash agrees with the server's own: byte strings of
 * every length around lookup3's 12-byte blocks (the tail cases), integers of every width and
 * sign, and whole segments rows with NULLs, escapes and non-ASCII text, each hashed by the
 * server as `hash_record_extended(ROW(...), 0)` and here from the row's canonical COPY line.
 * A move into a server verifies segments with it (record-digest.ts), so a disagreement must
 * fail here rather than refuse a move.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { copyHexBytes, copyNumber, copyText } from '../../migration/rows/copy-text';
import { hashBytes, hashInt4, hashInt8, segmentsLineHash, type Hash64 } from './pg-record-hash';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const serverUrl = process.env[TEST_PG_URL_ENV];

/** A server's 64-bit hash (a signed bigint as text) as the two unsigned halves. */
function halves(signed: string): Hash64 {
  const v = BigInt.asUintN(64, BigInt(signed));
  return { high: Number(v >> 32n), low: Number(v & 0xffffffffn) };
}

const out = (): Hash64 => ({ high: 0, low: 0 });

interface Segment {
  fileId: number;
  number: number;
  bytes: number;
  state: number;
  hash: string | null;
  messageId: string | null;
  uploadedAt: number | null;
}

function sampleSegments(): Segment[] {
  const texts = ['', 'a', 'part1of40.abc@news.example', 'tab\there', 'line\nbreak\r\n', 'back\\slash\\\\', 'ünïcødé ✓ 𝄞', 'x'.repeat(200), null];
  const hashes = [null, '', '00', 'ff'.repeat(16), '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'];
  const rows: Segment[] = [];
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let i = 0; i < 400; i++) {
    rows.push({
      fileId: [1, 2 ** 31 + i, 2 ** 40 + next(), Number.MAX_SAFE_INTEGER - i, next()][i % 5] as number,
      number: [0, 1, 2 ** 31 - 1, -5, next()][i % 5] as number,
      bytes: [0, 768_000, 2 ** 33 + i, -(2 ** 35) - i][i % 4] as number,
      state: [0, 1, 2, -1, 32767][i % 5] as number,
      hash: hashes[i % hashes.length] as string | null,
      messageId: texts[i % texts.length] as string | null,
      uploadedAt: i % 3 === 0 ? null : 1_700_000_000_000 + next(),
    });
  }
  return rows;
}

const line = (s: Segment): string =>
  [copyNumber(s.fileId), copyNumber(s.number), copyNumber(s.bytes), copyNumber(s.state), copyHexBytes(s.hash), copyText(s.messageId), copyNumber(s.uploadedAt)].join('\t');

describe.skipIf(!serverUrl)('PostgreSQL record hash in the app', () => {
  it('hashes bytes, integers and segments rows as the server does', async () => {
    const client = new pg.Client({ connectionString: await ensureTestDatabase(serverUrl as string, 'pg-record-hash') });
    await client.connect();
    try {
      // Every length from 0 to 40 bytes: each tail case of lookup3, with and without full blocks.
      const strings = Array.from({ length: 41 }, (_, n) => Array.from({ length: n }, (_, i) => String.fromCharCode(33 + ((i * 7 + n) % 90))).join(''));
      const text = await client.query<{ h: string }>('SELECT hashtextextended(t COLLATE "C", 0)::text AS h FROM unnest($1::text[]) WITH ORDINALITY u(t, i) ORDER BY i', [strings]);
      strings.forEach((s, i) => {
        const bytes = Buffer.from(s, 'utf8');
        expect(hashBytes(bytes, 0, bytes.length, out()), `length ${s.length}`).toEqual(halves((text.rows[i] as { h: string }).h));
      });
      const ints = [0, 1, -1, 42, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32 + 5, -(2 ** 32) - 5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];
      const int8 = await client.query<{ h: string }>('SELECT hashint8extended(v, 0)::text AS h FROM unnest($1::bigint[]) WITH ORDINALITY u(v, i) ORDER BY i', [ints.map(String)]);
      ints.forEach((v, i) => expect(hashInt8(v, out()), `int8 ${v}`).toEqual(halves((int8.rows[i] as { h: string }).h)));
      const small = [0, 1, -1, 32767, -32768];
      const int2 = await client.query<{ h: string }>('SELECT hashint2extended(v, 0)::text AS h FROM unnest($1::smallint[]) WITH ORDINALITY u(v, i) ORDER BY i', [small]);
      small.forEach((v, i) => expect(hashInt4(v, out()), `int2 ${v}`).toEqual(halves((int2.rows[i] as { h: string }).h)));

      const segments = sampleSegments();
      const { rows } = await client.query<{ h: string }>(
        `SELECT hash_record_extended(ROW(f, n, b, s, CASE WHEN h IS NULL THEN NULL ELSE decode(h, 'hex') END, m COLLATE "C", u), 0)::text AS h
           FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::smallint[], $5::text[], $6::text[], $7::bigint[]) WITH ORDINALITY x(f, n, b, s, h, m, u, i)
          ORDER BY i`,
        [
          segments.map((s) => String(s.fileId)),
          segments.map((s) => s.number),
          segments.map((s) => String(s.bytes)),
          segments.map((s) => s.state),
          segments.map((s) => s.hash),
          segments.map((s) => s.messageId),
          segments.map((s) => (s.uploadedAt === null ? null : String(s.uploadedAt))),
        ],
      );
      const mismatches = segments
        .map((s, i) => ({ line: line(s), bytes: Buffer.from(line(s), 'utf8'), server: halves((rows[i] as { h: string }).h) }))
        .filter((c) => {
          const app = segmentsLineHash(c.bytes, 0, c.bytes.length, out());
          return app.high !== c.server.high || app.low !== c.server.low;
        })
        .map((c) => c.line);
      expect(mismatches.slice(0, 5)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});

describe('segmentsLineHash without a server', () => {
  it('tells rows apart that differ in one column, or swap two', () => {
    const hashOf = (text: string): Hash64 => {
      const bytes = Buffer.from(text, 'utf8');
      return segmentsLineHash(bytes, 0, bytes.length, out());
    };
    const base = '7\t1\t768000\t0\t\\\\xabcd\tpart1@x\t\\N';
    const seen = new Set([base, '7\t2\t768000\t0\t\\\\xabcd\tpart1@x\t\\N', '1\t7\t768000\t0\t\\\\xabcd\tpart1@x\t\\N', '7\t1\t768000\t0\t\\\\xabce\tpart1@x\t\\N', '7\t1\t768000\t0\t\\\\xabcd\tpart1@y\t\\N', '7\t1\t768000\t0\t\\\\xabcd\tpart1@x\t0'].map((t) => JSON.stringify(hashOf(t))));
    expect(seen.size).toBe(6);
  });

  it('refuses a line that is not a canonical segments row', () => {
    const hashOf = (text: string): Hash64 => {
      const bytes = Buffer.from(text, 'utf8');
      return segmentsLineHash(bytes, 0, bytes.length, out());
    };
    expect(() => hashOf('7\t1\t768000')).toThrow(/fewer than seven/u);
    expect(() => hashOf('7\tx\t768000\t0\t\\N\t\\N\t\\N')).toThrow(/whole number/u);
    expect(() => hashOf('7\t1\t768000\t0\tabcd\t\\N\t\\N')).toThrow(/hex/u);
  });
});
