/**
 * The layout of `segments`: chosen from what the server offers (a pure function, every case),
 * detected on the real portable server (which has no Citus), and the distributed DDL run on
 * that server with a stand-in for Citus's create_distributed_table that records its call. No
 * real Citus cluster is available here, so what Citus itself does with the call is not tested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { makeTempDir } from '../../conformance/test-engines';
import { openPostgresStore } from './open-pg-store';
import { PG_MIGRATIONS } from './pg-schema';
import { chooseSegmentsLayout, detectCitus, segmentsDistributed, segmentsTableSql, type CitusState } from './pg-segments-layout';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

describe('choosing the segments layout', () => {
  it.each<[CitusState, number, ReturnType<typeof chooseSegmentsLayout>]>([
    ['absent', 8, { kind: 'partitioned', partitions: 8 }],
    ['absent', 1, { kind: 'partitioned', partitions: 1 }],
    // Installable is not created: Strata never creates the extension itself.
    ['available', 16, { kind: 'partitioned', partitions: 16 }],
    ['installed', 8, { kind: 'distributed', column: 'file_id' }],
    ['installed', 32, { kind: 'distributed', column: 'file_id' }],
  ])('Citus %s, %i partitions asked', (citus, partitions, expected) => {
    expect(chooseSegmentsLayout(citus, partitions)).toEqual(expected);
  });

  it('writes one partition per remainder, or one distributed table and no partitions', () => {
    const partitioned = segmentsTableSql({ kind: 'partitioned', partitions: 4 });
    expect(partitioned).toContain('PARTITION BY HASH (file_id)');
    expect(partitioned.match(/PARTITION OF segments/gu)).toHaveLength(4);
    expect(partitioned).toContain('MODULUS 4, REMAINDER 3');
    const distributed = segmentsTableSql({ kind: 'distributed', column: 'file_id' });
    expect(distributed).not.toContain('PARTITION');
    expect(distributed).toContain('PRIMARY KEY (file_id, number)');
    expect(distributed).toContain("create_distributed_table('segments', 'file_id')");
  });
});

describe('the segments layout on the portable server', () => {
  const admin = process.env[TEST_PG_URL_ENV];
  if (!admin) throw new Error(`${TEST_PG_URL_ENV} is not set: the vitest global setup starts the portable server for these tests`);
  let dir: string;
  let client: pg.Client;
  const rows = async <R>(sql: string): Promise<R[]> => (await client.query(sql)).rows as R[];

  beforeAll(async () => {
    dir = makeTempDir('segments-layout');
    client = new pg.Client({ connectionString: await ensureTestDatabase(admin, `${dir}/probe`) });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
  });

  it('finds no Citus, so a store keeps its segments in local partitions', async () => {
    expect(await detectCitus(rows)).toBe('absent');
    expect(await segmentsDistributed(rows, 'absent')).toBe(false);
    const store = await openPostgresStore(await ensureTestDatabase(admin, `${dir}/store`));
    try {
      expect(store.capabilities.segmentsDistribution).toBe('local');
    } finally {
      await store.close();
    }
  });

  it('runs the distributed DDL as valid SQL and asks for distribution by file_id (Citus stood in for)', async () => {
    await client.query('BEGIN');
    try {
      await client.query('CREATE TABLE distribution_calls (table_name text, column_name text)');
      await client.query(`CREATE FUNCTION create_distributed_table(table_name regclass, distribution_column text) RETURNS void
        LANGUAGE sql AS $$ INSERT INTO distribution_calls VALUES (table_name::text, distribution_column) $$`);
      const v1 = PG_MIGRATIONS.find((m) => m.version === 1);
      await client.query(v1?.sql({ segments: { kind: 'distributed', column: 'file_id' } }) ?? '');
      expect(await rows('SELECT table_name, column_name FROM distribution_calls')).toEqual([{ table_name: 'segments', column_name: 'file_id' }]);
      // A plain table (Citus shards it), whose primary key holds the distribution column.
      expect(await rows("SELECT relkind FROM pg_class WHERE oid = 'segments'::regclass")).toEqual([{ relkind: 'r' }]);
      const key = await rows<{ column: string }>(
        `SELECT a.attname AS column FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = 'segments'::regclass AND i.indisprimary ORDER BY a.attnum`,
      );
      expect(key.map((k) => k.column)).toEqual(['file_id', 'number']);
      expect(await rows("SELECT conname FROM pg_constraint WHERE conrelid = 'segments'::regclass AND contype = 'f'")).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
    }
  });
});
