/** The Vitest global setup the conformance suite uses for ENGINES=postgres. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAlive } from './postmaster-pid';
import setup, { TEST_PG_URL_ENV } from './test-server-setup';
import { query } from './testing';

describe('test server global setup', () => {
  it('exports a superuser URL, provides it to tests, and its teardown stops the server and removes it', async () => {
    const before = process.env[TEST_PG_URL_ENV];
    delete process.env[TEST_PG_URL_ENV];
    const provided = new Map<string, unknown>();
    try {
      const teardown = await setup({ provide: (key, value) => provided.set(key, value) });
      const url = process.env[TEST_PG_URL_ENV] ?? '';
      expect(url).toMatch(/^postgres:\/\/strata:[^@]+@127\.0\.0\.1:\d+\/strata_test$/u);
      expect(provided.get('strataTestPgUrl')).toBe(url);
      const [info] = await query<{ superuser: boolean; pid: number; dir: string }>(
        url,
        "SELECT rolsuper AS superuser, pg_backend_pid() AS pid, current_setting('data_directory') AS dir FROM pg_roles WHERE rolname = current_user",
      );
      expect(info?.superuser).toBe(true);
      const postmaster = Number(fs.readFileSync(`${info?.dir}/postmaster.pid`, 'utf8').split('\n')[0]);

      await teardown();
      expect(process.env[TEST_PG_URL_ENV]).toBeUndefined();
      expect(isAlive(postmaster)).toBe(false);
      expect(fs.existsSync(info?.dir ?? '')).toBe(false);
    } finally {
      if (before === undefined) delete process.env[TEST_PG_URL_ENV];
      else process.env[TEST_PG_URL_ENV] = before;
    }
  });

  it('uses a server that is already named in the environment instead of starting one', async () => {
    const before = process.env[TEST_PG_URL_ENV];
    process.env[TEST_PG_URL_ENV] = 'postgres://someone:pw@127.0.0.1:1/elsewhere';
    const provided = new Map<string, unknown>();
    try {
      const teardown = await setup({ provide: (key, value) => provided.set(key, value) });
      expect(provided.get('strataTestPgUrl')).toBe('postgres://someone:pw@127.0.0.1:1/elsewhere');
      await teardown();
      expect(process.env[TEST_PG_URL_ENV]).toBe('postgres://someone:pw@127.0.0.1:1/elsewhere');
    } finally {
      if (before === undefined) delete process.env[TEST_PG_URL_ENV];
      else process.env[TEST_PG_URL_ENV] = before;
    }
  });
});
