/**
 * Test databases on a real server: every test folder gets its own database (named from the
 * folder's path), created on first use and reused when the same folder is opened again, so
 * close-and-reopen cases see their data and parallel tests never share a catalog.
 * STRATA_TEST_PG_URL is a superuser connection string (the lead's vitest setup starts the
 * portable server and sets it).
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL_ENV = 'STRATA_TEST_PG_URL';

export function testDatabaseName(key: string): string {
  return `strata_t_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

/** Connection string of the database for `key`, creating it if needed. */
export async function ensureTestDatabase(adminUrl: string, key: string): Promise<string> {
  const name = testDatabaseName(key);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      try {
        // template0 with locale C: the same starting point whatever the server's defaults.
        await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'`);
      } catch (error) {
        // Two workers may create the same database at once; the loser finds it made.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops every database ensureTestDatabase made (for a global teardown); returns how many. */
export async function dropTestDatabases(adminUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'strata\\_t\\_%'");
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    return rows.length;
  } finally {
    await admin.end();
  }
}
