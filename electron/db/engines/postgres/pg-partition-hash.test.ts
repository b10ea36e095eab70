/**
 * The app's copy of PostgreSQL's partition hash agrees with the server's own
 * (satisfies_hash_partition) for ids of every size and sign and for several moduli: a
 * migration that COPYs rows straight into partitions relies on it (a row in the wrong
 * partition would be refused by the partition's constraint, and the move would fail).
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { hashPartitionOf } from './pg-partition-hash';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const serverUrl = process.env[TEST_PG_URL_ENV];

function sampleIds(): number[] {
  const ids: number[] = [];
  for (let i = -50; i <= 3000; i++) ids.push(i);
  // Around the 32-bit boundaries, where the high half starts to matter, and up to the largest safe integer.
  for (const base of [2 ** 31, 2 ** 32, 2 ** 40, 2 ** 52, Number.MAX_SAFE_INTEGER - 40]) {
    for (let i = -20; i <= 20; i++) if (Number.isSafeInteger(base + i)) ids.push(base + i, -(base + i));
  }
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    ids.push(x * 4096 + i);
  }
  return ids;
}

describe.skipIf(!serverUrl)('hashPartitionOf', () => {
  it('puts every id where the server does', async () => {
    const client = new pg.Client({ connectionString: await ensureTestDatabase(serverUrl as string, 'pg-partition-hash') });
    await client.connect();
    try {
      const ids = sampleIds();
      for (const modulus of [1, 7, 8, 16, 256]) {
        await client.query('DROP TABLE IF EXISTS hash_probe');
        await client.query('CREATE TABLE hash_probe (id bigint) PARTITION BY HASH (id)');
        for (let r = 0; r < Math.min(modulus, 16); r++) {
          await client.query(`CREATE TABLE hash_probe_${r} PARTITION OF hash_probe FOR VALUES WITH (MODULUS ${modulus}, REMAINDER ${r})`);
        }
        const { rows } = await client.query<{ id: string; r: number }>(
          `SELECT id::text, (SELECT r FROM generate_series(0, $2::int - 1) r WHERE satisfies_hash_partition('hash_probe'::regclass, $2::int, r, id)) AS r
             FROM unnest($1::bigint[]) id`,
          [ids.map(String), modulus],
        );
        const mismatches = rows.filter((row) => hashPartitionOf(Number(row.id), modulus) !== row.r);
        expect(mismatches.slice(0, 5)).toEqual([]);
      }
    } finally {
      await client.query('DROP TABLE IF EXISTS hash_probe');
      await client.end();
    }
  });
});

describe('hashPartitionOf without a server', () => {
  it('refuses keys that are not safe integers', () => {
    expect(() => hashPartitionOf(2 ** 60, 16)).toThrow(RangeError);
    expect(() => hashPartitionOf(1.5, 16)).toThrow(RangeError);
  });
});
