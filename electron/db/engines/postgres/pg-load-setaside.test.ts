/**
 * Setting a catalog's indexes aside and restoring them, on the real portable server: two
 * restorers of the same table at once (a cancelled load's background rebuild and the resumed
 * load's) must build each key once, not fail on the second.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { NodePgDriver } from './node-pg-driver';
import { openPostgresStore } from './open-pg-store';
import { isSetAside, restoreAllIndexes, restoreTableIndexes, setAsideIndexes } from './pg-load-setaside';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

describe('indexes set aside for a bulk load', () => {
  const admin = process.env[TEST_PG_URL_ENV];
  if (!admin) throw new Error(`${TEST_PG_URL_ENV} is not set: the vitest global setup starts the portable server for these tests`);
  let driver: NodePgDriver;
  const keys = async (): Promise<string[]> =>
    (await driver.queryRows<{ name: string }>("SELECT conname AS name FROM pg_constraint WHERE conrelid = 'file_groups'::regclass AND contype IN ('p', 'u') ORDER BY 1")).map((r) => r.name);

  beforeAll(async () => {
    const url = await ensureTestDatabase(admin, `${makeTempDir('setaside')}/store`);
    await (await openPostgresStore(url)).close();
    driver = await NodePgDriver.open({ connectionString: url, poolSize: 4 });
  });

  afterAll(async () => {
    await driver.close();
  });

  it('builds a table’s keys once when two restorers race for it', async () => {
    const before = await keys();
    expect(before.length).toBeGreaterThan(0);
    await driver.transaction((tx) => setAsideIndexes(tx));
    expect(await keys()).toEqual([]);
    // The tables file_groups references come back first, as a load restores them.
    for (const parent of ['collections', 'nzb_sources', 'groups', 'folders', 'files'] as const) await driver.transaction((tx) => restoreTableIndexes(tx, parent));
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstRestored!: () => void;
    const firstDone = new Promise<void>((resolve) => (firstRestored = resolve));
    // The first restorer rebuilds file_groups and holds its transaction open...
    const first = driver.transaction(async (tx) => {
      try {
        await restoreTableIndexes(tx, 'file_groups');
      } finally {
        firstRestored();
      }
      await firstHolds;
    });
    await firstDone;
    // ...while the second one starts on the same table, then the first commits.
    const second = driver.transaction((tx) => restoreTableIndexes(tx, 'file_groups'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await first;
    await second;
    expect(await keys()).toEqual(before);
    await driver.transaction((tx) => restoreAllIndexes(tx));
    expect(await isSetAside(driver)).toBe(false);
    expect(await keys()).toEqual(before);
  });
});
