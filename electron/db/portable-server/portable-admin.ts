/** Administrative work on the portable server outside a store: dropping a discarded copy. */
import pg from 'pg';
import { postgresResourcesDir } from '../portable-server/resources-dir';
import { ensurePortableServer } from './portable-server';

/** Starts the server for as long as it takes to drop one database (connections to it are ended first). */
export async function dropPortableDatabase(dataDir: string, database: string): Promise<void> {
  const server = await ensurePortableServer({ dataDir, resourcesDir: postgresResourcesDir(), database: 'postgres' });
  try {
    const client = new pg.Client({ connectionString: server.connectionString });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  } finally {
    await server.stop();
  }
}
