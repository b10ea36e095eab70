/**
 * Schema migrations on both drivers: PGlite always, a real server when STRATA_TEST_PG_URL
 * names one. A newer or foreign database is refused and left exactly as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { expectCode } from '../../conformance/expect-code';
import { NodePgDriver } from './node-pg-driver';
import type { PgDriver } from './pg-driver';
import { openPgliteStore, openPostgresStore } from './open-pg-store';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS } from './pg-schema';
import type { PgStore } from './pg-store';
import { PgliteDriver } from './pglite-driver';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

interface Target {
  name: string;
  driver: (dir: string) => Promise<PgDriver>;
  store: (dir: string, partitions?: number) => Promise<PgStore>;
}

const targets: Target[] = [
  {
    name: 'pglite',
    driver: (dir) => PgliteDriver.open(path.join(dir, 'db')),
    store: (dir, partitions) => openPgliteStore(path.join(dir, 'db'), { segmentPartitions: partitions }),
  },
];
const serverUrl = process.env[TEST_PG_URL_ENV];
if (serverUrl) {
  targets.push({
    name: 'postgres',
    driver: async (dir) => NodePgDriver.open({ connectionString: await ensureTestDatabase(serverUrl, dir) }),
    store: async (dir, partitions) => openPostgresStore(await ensureTestDatabase(serverUrl, dir), { segmentPartitions: partitions }),
  });
}

/** Everything a migration could change: tables, columns, indexes, functions, version rows. */
async function snapshot(driver: PgDriver): Promise<unknown> {
  const schema = await driver.query(
    `SELECT c.relname, c.relkind, a.attname, a.atttypid::bigint AS type
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
      WHERE n.nspname = current_schema()
      ORDER BY c.relname, a.attname`,
  );
  const functions = await driver.query("SELECT proname FROM pg_proc WHERE pronamespace = current_schema()::regnamespace ORDER BY 1");
  const versions = (await driver.query("SELECT to_regclass('schema_version') IS NOT NULL AS has")).rows[0] as { has: boolean };
  return {
    schema: schema.rows,
    functions: functions.rows,
    versions: versions.has ? (await driver.query('SELECT version, description FROM schema_version ORDER BY version')).rows : null,
  };
}

for (const target of targets) {
  describe(`postgres migrations: ${target.name}`, () => {
    let dir: string;

    beforeEach(() => {
      dir = makeTempDir(`pg-migrate-${target.name}`);
    });

    afterEach(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('creates the latest schema once, with the asked number of segment partitions', async () => {
      const store = await target.store(dir, 3);
      expect((await store.stats()).schemaVersion).toBe(PG_LATEST_SCHEMA_VERSION);
      await store.close();
      const driver = await target.driver(dir);
      try {
        const versions = (await driver.query<{ version: number }>('SELECT version FROM schema_version ORDER BY version')).rows;
        expect(versions.map((v) => v.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
        const parts = (await driver.query<{ n: number }>("SELECT count(*) AS n FROM pg_partition_tree('segments') WHERE isleaf")).rows[0];
        expect(parts?.n).toBe(3);
      } finally {
        await driver.close();
      }
      // Reopening runs nothing again; a different partition count does not apply to an existing catalog.
      const again = await target.store(dir, 5);
      await again.close();
      const check = await target.driver(dir);
      try {
        expect((await check.query<{ n: number }>('SELECT count(*) AS n FROM schema_version')).rows[0]?.n).toBe(PG_MIGRATIONS.length);
        expect((await check.query<{ n: number }>("SELECT count(*) AS n FROM pg_partition_tree('segments') WHERE isleaf")).rows[0]?.n).toBe(3);
      } finally {
        await check.close();
      }
    });

    it('refuses a catalog written by a newer schema, and leaves it untouched', async () => {
      const store = await target.store(dir);
      const c = await store.createCollection({ name: 'Kept', source: 'nzb' });
      await store.close();
      const driver = await target.driver(dir);
      let before: unknown;
      try {
        await driver.query("INSERT INTO schema_version (version, applied_at, description) VALUES ($1, 0, 'from the future')", [
          PG_LATEST_SCHEMA_VERSION + 1,
        ]);
        before = await snapshot(driver);
      } finally {
        await driver.close();
      }
      const error = await expectCode(target.store(dir), 'db-newer');
      expect(error.details).toMatchObject({ schemaVersion: PG_LATEST_SCHEMA_VERSION + 1, supported: PG_LATEST_SCHEMA_VERSION });
      const after = await target.driver(dir);
      try {
        expect(await snapshot(after)).toEqual(before);
        expect((await after.query<{ name: string }>('SELECT name FROM collections WHERE id = $1', [c.id])).rows).toEqual([{ name: 'Kept' }]);
      } finally {
        await after.close();
      }
    });

    it("refuses a database holding another program's tables, and leaves it untouched", async () => {
      const driver = await target.driver(dir);
      let before: unknown;
      try {
        await driver.exec('CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)');
        before = await snapshot(driver);
      } finally {
        await driver.close();
      }
      await expectCode(target.store(dir), 'db-foreign');
      const after = await target.driver(dir);
      try {
        expect(await snapshot(after)).toEqual(before);
      } finally {
        await after.close();
      }
    });

    it('refuses a partition count out of range', async () => {
      await expectCode(target.store(dir, 0), 'invalid-argument');
      await expectCode(target.store(dir, 100_000), 'invalid-argument');
    });
  });
}
