/**
 * A store on the portable PostgreSQL server that ships with the app: opening it starts the
 * server (extracting and initialising it on first use), closing it stops the server, so the
 * server lives exactly as long as the database process uses it.
 */
import { ensurePortableServer, type PortableServer, type PortableServerProgress } from '../../portable-server/portable-server';
import type { CatalogStore } from '../../store';
import { openPostgresStore, type PostgresStoreOptions } from './open-pg-store';

import { postgresResourcesDir } from '../../portable-server/resources-dir';


export interface PortableStoreOptions extends PostgresStoreOptions {
  database: string;
  onServerProgress?: (event: PortableServerProgress) => void;
}

export async function openPortablePostgresStore(dataDir: string, options: PortableStoreOptions): Promise<CatalogStore> {
  const start = (): Promise<PortableServer> =>
    ensurePortableServer({
      dataDir,
      resourcesDir: postgresResourcesDir(),
      database: options.database,
      ...(options.onServerProgress ? { onProgress: options.onServerProgress } : {}),
    });
  let server = await start();
  let store: CatalogStore;
  try {
    store = await openPostgresStore(server.connectionString, options);
  } catch (error) {
    await server.stop();
    throw error;
  }
  let closed = false;
  let restarting: Promise<void> | null = null;
  /**
   * A server that dies under the app (killed, out of memory) is started again: PostgreSQL's
   * crash recovery replays its log, so every committed transaction is there. It comes back on
   * the same port (the last one used is kept while free), where the store's pool reconnects;
   * the calls that were in flight fail with a connection error meanwhile.
   */
  const watch = (s: PortableServer): void => {
    s.onUnexpectedExit(() => {
      if (closed || restarting) return;
      restarting = start()
        .then((next) => {
          server = next;
          if (closed) return next.stop();
          watch(next);
          return undefined;
        })
        .catch(() => undefined)
        .finally(() => {
          restarting = null;
        });
    });
  };
  watch(server);
  const close = async (): Promise<void> => {
    closed = true;
    await restarting;
    try {
      await store.close();
    } finally {
      await server.stop();
    }
  };
  // Everything else is the store's own; only closing also stops the server.
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'close') return close;
      const value: unknown = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
