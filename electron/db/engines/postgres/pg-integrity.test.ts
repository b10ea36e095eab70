/**
 * checkIntegrity on a real server answers both segments questions (file counters against
 * their segments, segments without a file) from one pass over segments, and still names each
 * problem under its own label, alone or together.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../scripts/generate/catalog-generator';
import { makeTempDir } from '../../conformance/test-engines';
import { openPostgresStore } from './open-pg-store';
import type { PgStore } from './pg-store';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const serverUrl = process.env[TEST_PG_URL_ENV];

describe.skipIf(!serverUrl)('checkIntegrity on a server', () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0).reverse()) await o.close();
  });

  async function damaged(label: string, damage: string): Promise<string[]> {
    const url = await ensureTestDatabase(serverUrl as string, makeTempDir(`pg-integrity-${label}`));
    const store: PgStore = await openPostgresStore(url, { segmentPartitions: 4 });
    open.push(store);
    const c = await store.createCollection({ name: 'Checked', source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments: 4_000, seed: 9, batchSegments: 2_000 }));
    expect((await store.checkIntegrity()).problems).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(damage);
    } finally {
      await client.end();
    }
    return (await store.checkIntegrity()).problems;
  }

  it('names segments without a file, alone', async () => {
    const problems = await damaged('orphans', 'INSERT INTO segments (file_id, number, bytes, state) VALUES (999999, 1, 10, 0), (999999, 2, 10, 0), (888888, 1, 5, 0)');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^segments whose file does not exist: (888888, 999999|999999, 888888)$/u);
  });

  it('names wrong file counters and orphans each under its label', async () => {
    const problems = await damaged(
      'both',
      `UPDATE files SET segment_count = segment_count + 1 WHERE id = (SELECT min(id) FROM files);
       INSERT INTO segments (file_id, number, bytes, state) VALUES (777777, 1, 10, 0);`,
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual(['file counters that do not match their segments', 'segments whose file does not exist', 'collection counters that do not match their files']);
    expect(problems[1]).toBe('segments whose file does not exist: 777777');
  });
});
