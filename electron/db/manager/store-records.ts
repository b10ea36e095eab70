/**
 * Where each kind of store lives for a data folder, and how its data is removed when the user
 * discards a partial copy or a previous store: files are deleted; a database on the portable
 * server is dropped; on a server the user named, only the tables Strata created are dropped.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { ServerKind } from '../../../shared/manager';
import type { ControlDb, StoreRecord } from './control-db';
import { readConnectionString, removeConnectionString, saveConnectionString } from './store-secrets';

export interface TargetSpec {
  to: 'sqlite' | 'sharded' | 'pglite' | 'postgres';
  shards?: number;
  url?: string;
}

export function serverOf(record: Pick<StoreRecord, 'engine' | 'options'>): ServerKind | null {
  if (record.engine !== 'postgres') return null;
  return record.options.server === 'portable' ? 'portable' : 'existing';
}

/** A new, empty place for a copy, recorded as the target of a move. */
export function newTargetRecord(dataDir: string, control: ControlDb, spec: TargetSpec): StoreRecord {
  const tag = Date.now().toString(36);
  switch (spec.to) {
    case 'sqlite':
      return control.addTarget('sqlite', path.join('stores', `sqlite-${tag}`, 'strata.db'), {});
    case 'sharded':
      return control.addTarget('sharded', path.join('stores', `sharded-${tag}`), { shards: spec.shards ?? 4 });
    case 'pglite':
      return control.addTarget('pglite', path.join('stores', `pglite-${tag}`), {});
    case 'postgres': {
      if (!spec.url) return control.addTarget('postgres', `postgres#strata_${tag}`, { server: 'portable', database: `strata_${tag}` });
      const urlFile = saveConnectionString(dataDir, `existing-${tag}`, spec.url);
      return control.addTarget('postgres', `${describeServer(spec.url)}#${tag}`, { server: 'existing', urlFile });
    }
  }
}

/** The server and database without the password, for records and messages. */
function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'existing server';
  }
}

export function storeDataExists(dataDir: string, record: StoreRecord): boolean {
  return record.engine === 'postgres' || fs.existsSync(path.resolve(dataDir, record.location));
}

/** The tables (and function) Strata's Postgres schema creates, dependents first. */
const PG_OBJECTS = ['segments', 'file_groups', 'files', 'folders', 'groups', 'nzb_sources', 'collections', 'schema_version'];

export async function removeStoreData(dataDir: string, record: StoreRecord): Promise<void> {
  const server = serverOf(record);
  if (server === null) {
    const where = path.resolve(dataDir, record.location);
    if (record.engine !== 'sqlite') {
      fs.rmSync(where, { recursive: true, force: true });
    } else if (path.basename(path.dirname(where)).startsWith('sqlite-')) {
      // A copy made by a move has a folder of its own under stores/.
      fs.rmSync(path.dirname(where), { recursive: true, force: true });
    } else {
      // The folder's first store: its file at the root, with its journal files.
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${where}${suffix}`, { force: true });
    }
    return;
  }
  if (server === 'existing') {
    const urlFile = String(record.options.urlFile);
    const client = new pg.Client({ connectionString: readConnectionString(dataDir, urlFile) });
    await client.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS ${PG_OBJECTS.join(', ')} CASCADE; DROP FUNCTION IF EXISTS strata_fold(text)`);
    } finally {
      await client.end();
    }
    removeConnectionString(dataDir, urlFile);
    return;
  }
  const { dropPortableDatabase } = await import('../postgres/portable-admin');
  await dropPortableDatabase(dataDir, String(record.options.database));
}
