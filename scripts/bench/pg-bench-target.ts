/**
 * Where a Postgres benchmark runs: a PGlite folder, or a fresh database on a server (created
 * from a superuser connection string and dropped afterwards, so runs never share data).
 */
import path from 'node:path';
import pg from 'pg';
import { NodePgDriver } from '../../electron/db/engines/postgres/node-pg-driver';
import { openPgliteStore, openPostgresStore } from '../../electron/db/engines/postgres/open-pg-store';
import type { PgDriver } from '../../electron/db/engines/postgres/pg-driver';
import type { PgStore } from '../../electron/db/engines/postgres/pg-store';
import { PgliteDriver } from '../../electron/db/engines/postgres/pglite-driver';

export interface PgBenchTarget {
  engine: 'pglite' | 'postgres';
  /** PGlite: the bench folder. */
  dir: string;
  /** postgres: a superuser connection string. */
  url?: string;
}

async function admin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates an empty database for one run and returns its connection string. */
export async function createBenchDatabase(url: string, name: string): Promise<string> {
  await admin(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name}`);
    await c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'`);
  });
  return databaseUrl(url, name);
}

export async function dropBenchDatabase(url: string, name: string): Promise<void> {
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export function openBenchStore(target: PgBenchTarget, databaseUrlOrNull: string | null, partitions?: number, durable = true): Promise<PgStore> {
  return target.engine === 'pglite'
    ? openPgliteStore(path.join(target.dir, 'pglite'), { segmentPartitions: partitions, durable })
    : openPostgresStore(databaseUrlOrNull as string, { segmentPartitions: partitions });
}

export function openBenchDriver(target: PgBenchTarget, databaseUrlOrNull: string | null): Promise<PgDriver> {
  return target.engine === 'pglite'
    ? PgliteDriver.open(path.join(target.dir, 'pglite-raw'))
    : NodePgDriver.open({ connectionString: databaseUrlOrNull as string });
}
