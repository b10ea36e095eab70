/**
 * Tier 3 on a server: the portable PostgreSQL server Strata ships and runs itself
 * (`options.server: 'portable'`, one database per store), or an existing server the user named
 * (`'existing'`, its connection string in a user-only file of the data folder). The drivers load
 * on first use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../../../shared/errors';
import { readConnectionString, removeConnectionString, saveConnectionString } from '../../manager/store-secrets';
import type { EngineDefinition, StoreRecordShape } from '../engine-definition';
import { PORTABLE_DIR } from '../../portable-server/layout';

/** The tables (and function) Strata's Postgres schema creates, dependents first. */
const PG_OBJECTS = ['segments', 'file_groups', 'files', 'folders', 'groups', 'nzb_sources', 'collections', 'schema_version'];

const isPortable = (record: Pick<StoreRecordShape, 'options'>): boolean => record.options.server === 'portable';

/** The bundled server's cluster in the data folder (its layout: portable-server/layout.ts). */
const PORTABLE_CLUSTER = path.join(PORTABLE_DIR, 'data');

/** The server and database without the password, for records and messages. */
function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'existing server';
  }
}

export const postgresEngine: EngineDefinition = {
  name: 'postgres',
  tier: 3,
  noun: 'PostgreSQL catalog',
  storedOn: 'a PostgreSQL server',
  keptIn: (record) => (isPortable(record) ? 'the portable PostgreSQL server' : 'an existing PostgreSQL server'),
  defaultLocation: null,
  predatesControl: false,
  sharedAccess: true,
  shards: null,
  // The same storage as PGlite (not measured separately); a new database in the portable
  // cluster. Into the portable server 137,650 rows/s (`bench migrate --from sqlite --to postgres
  // --segments 1000000`, after the loader set indexes aside; 92,000 at 10M).
  copyCost: { rowsPerSecond: 137_000, fixedBytes: 48_000_000, bytesPerRow: 266, floorBytes: 64_000_000 },
  // What the preflight says about a server depends on which one (the bundled or an existing server).
  moveNote: null,
  serverOf: (record) => (isPortable(record) ? 'portable' : 'existing'),
  targetServer: (url) => (url ? 'existing' : 'portable'),
  copyLocation: () => null,
  foundOptions: () => ({}),
  // The bundled server's databases are only known to the running server: listed as its cluster.
  foundData: (dataDir) =>
    fs.existsSync(path.join(dataDir, PORTABLE_CLUSTER, 'PG_VERSION')) ? { location: 'postgres#<database>', options: { server: 'portable' }, dir: path.join(dataDir, PORTABLE_CLUSTER) } : null,
  // A server's space is the server's, and measuring a database would start it.
  dataPaths: () => null,
  newTarget: (dataDir, spec, tag) => {
    if (!spec.url) return { location: `postgres#strata_${tag}`, options: { server: 'portable', database: `strata_${tag}` } };
    const urlFile = saveConnectionString(dataDir, `existing-${tag}`, spec.url);
    return { location: `${describeServer(spec.url)}#${tag}`, options: { server: 'existing', urlFile } };
  },
  open: async (dataDir, record, options) => {
    if (isPortable(record)) {
      const portable = await import('./portable-store');
      return portable.openPortablePostgresStore(path.resolve(dataDir), { database: typeof record.options.database === 'string' ? record.options.database : 'strata', ...options.postgres });
    }
    const saved = typeof record.options.urlFile === 'string' ? readConnectionString(dataDir, record.options.urlFile) : undefined;
    const connectionString = options.postgres?.connectionString ?? saved;
    if (!connectionString) throw invalidArgument('The postgres engine needs a connection string (the portable server or an existing server).');
    return (await import('./open-pg-store')).openPostgresStore(connectionString, { ...options.postgres });
  },
  // The portable server's data directory is in the data folder; an existing server's is not ours.
  writesToRead: isPortable,
  // A server's databases are checked by the server when the store opens.
  presence: () => 'present',
  removeData: async (dataDir, record) => {
    if (isPortable(record)) {
      const { dropPortableDatabase } = await import('../../portable-server/portable-admin');
      await dropPortableDatabase(dataDir, String(record.options.database));
      return;
    }
    // On a server the user named, only the tables Strata created are dropped.
    const urlFile = String(record.options.urlFile);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: readConnectionString(dataDir, urlFile) });
    await client.connect();
    try {
      await client.query(`DROP TABLE IF EXISTS ${PG_OBJECTS.join(', ')} CASCADE; DROP FUNCTION IF EXISTS strata_fold(text)`);
    } finally {
      await client.end();
    }
    removeConnectionString(dataDir, urlFile);
  },
};
