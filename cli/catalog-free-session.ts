/**
 * The typed API for a command that needs no catalog (check-server): the catalog-free handler map
 * served in this process over an in-memory port, the same road the other commands' calls take.
 */
import { MessageChannel } from 'node:worker_threads';
import { createApi, type StrataApi } from '../shared/ipc/api';
import { createClient } from '../shared/ipc/client';

export async function catalogFreeApi(): Promise<{ api: StrataApi; close: () => void }> {
  const [{ createCatalogFreeHandlers }, { serve }, { LOCAL_POLICY }, { messagePort }] = await Promise.all([
    import('../electron/db/ipc/catalog-free-handlers'),
    import('../electron/db/ipc/dispatcher'),
    import('../electron/db/ipc/host-policy'),
    import('../electron/db/ipc/ports'),
  ]);
  const channel = new MessageChannel();
  const dispatcher = serve(messagePort(channel.port1), createCatalogFreeHandlers(LOCAL_POLICY));
  const client = createClient(messagePort(channel.port2));
  return {
    api: createApi(client),
    close: () => {
      client.close();
      dispatcher.close();
      channel.port1.close();
      channel.port2.close();
    },
  };
}
