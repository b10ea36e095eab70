/**
 * The typed API for a command that needs no catalog (check-server): the catalog-free handler map
 * served in this process over an in-memory port, the same road the other commands' calls take.
 */
import { createApi, type StrataApi } from '../shared/ipc/api';

export async function catalogFreeApi(): Promise<{ api: StrataApi; close: () => void }> {
  const [{ createCatalogFreeHandlers }, { LOCAL_POLICY }, { serveInMemory }] = await Promise.all([
    import('../electron/db/ipc/catalog-free-handlers'),
    import('../electron/db/ipc/host-policy'),
    import('../electron/db/ipc/in-memory'),
  ]);
  const service = serveInMemory(createCatalogFreeHandlers(LOCAL_POLICY));
  return { api: createApi(service.client), close: () => service.close() };
}
