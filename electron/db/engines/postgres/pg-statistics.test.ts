/**
 * ANALYZE gathers statistics on segments' key columns only (schema 4): every query the catalog
 * runs on segments finds rows by file_id and number, and the other columns' statistics (the
 * message ids' above all) were most of what ANALYZE of segments cost a move
 * (docs/benchmarks.md). Checked on a real server, on the parent and every partition.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../scripts/generate/catalog-generator';
import { makeTempDir } from '../../conformance/test-engines';
import { openPostgresStore } from './open-pg-store';
import type { PgStore } from './pg-store';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const serverUrl = process.env[TEST_PG_URL_ENV];

describe.skipIf(!serverUrl)('segments statistics', () => {
  let store: PgStore;
  let client: pg.Client;

  beforeAll(async () => {
    const url = await ensureTestDatabase(serverUrl as string, makeTempDir('pg-statistics'));
    store = await openPostgresStore(url, { segmentPartitions: 4 });
    const c = await store.createCollection({ name: 'Stats', source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments: 8_000, seed: 11, batchSegments: 4_000 }));
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await store?.close();
  });

  it('keeps statistics for file_id and number only, on the parent and each partition', async () => {
    await client.query('ANALYZE segments');
    const { rows } = await client.query<{ tablename: string; attname: string }>(
      "SELECT tablename, attname FROM pg_stats WHERE tablename = 'segments' OR tablename LIKE 'segments\\_p%' ORDER BY tablename, attname",
    );
    const tables = [...new Set(rows.map((r) => r.tablename))];
    expect(tables).toEqual(['segments', 'segments_p0', 'segments_p1', 'segments_p2', 'segments_p3']);
    for (const table of tables) expect(rows.filter((r) => r.tablename === table).map((r) => r.attname), table).toEqual(['file_id', 'number']);
  });

  it('still plans a file’s segments as a key lookup in its partition', async () => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM segments WHERE file_id = 3 AND number > 0 ORDER BY number LIMIT 100');
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    // Through the partition's key (an index or bitmap scan, as the row estimate says), one partition only.
    expect(plan).toMatch(/Index Scan (using|on) segments_p\d+_pkey/u);
    expect(plan).not.toMatch(/Seq Scan/u);
    expect(new Set(plan.match(/segments_p\d+(?=\s)/gu))).toHaveProperty('size', 1);
  });
});
