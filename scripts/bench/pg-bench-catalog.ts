/**
 * A cached Postgres benchmark catalog per (engine, segments, seed), built once through the
 * store API: a PGlite folder under .bench-cache/, or a kept database on the server.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { PgStore } from '../../electron/db/engines/postgres/pg-store';
import { generateCatalog } from '../generate/catalog-generator';
import { log } from './bench-utils';
import { createBenchDatabase, openBenchStore, type PgBenchTarget } from './pg-bench-target';

const MARKER = 'bench catalog complete';

export async function openPgBenchCatalog(
  engine: 'pglite' | 'postgres',
  url: string | undefined,
  segments: number,
  seed: number,
  rebuild: boolean,
): Promise<PgStore> {
  const dir = path.resolve('.bench-cache', `${engine}-${segments}-${seed}`);
  const target: PgBenchTarget = { engine, dir, url };
  const done = path.join(dir, 'complete');
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    if (!url) throw new Error('--engine postgres needs --url <superuser connection string>');
    const name = `strata_benchq_${segments}_${seed}`;
    const u = new URL(url);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    // The marker lives beside the server's catalog, so a dropped database is rebuilt.
    const exists = await hasMarker(databaseUrl);
    if (rebuild || !exists) {
      fs.rmSync(dir, { recursive: true, force: true });
      await createBenchDatabase(url, name);
    }
  } else if (rebuild || !fs.existsSync(done)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  fs.mkdirSync(dir, { recursive: true });
  if (!fs.existsSync(done)) {
    log(`building a ${segments.toLocaleString()}-segment ${engine} catalog (cached for later runs)…`);
    const store = await openBenchStore(target, databaseUrl);
    const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
    await store.ingest(collection.id, generateCatalog({ segments, seed }));
    await store.close();
    fs.writeFileSync(done, MARKER);
  }
  return openBenchStore(target, databaseUrl);
}

async function hasMarker(databaseUrl: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const r = await client.query("SELECT 1 FROM collections WHERE name = 'bench'");
    return (r.rowCount ?? 0) > 0;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
