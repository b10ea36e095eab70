/**
 * The handler map where there is no catalog: `server/check` (testing a server before any catalog
 * moves there) answers as in the full map; every other operation is refused with what to do.
 * The CLI's check-server serves it over an in-memory port, so that command too reaches its
 * feature through the typed API, without needing or creating a data folder.
 */
import { StrataError } from '../../../shared/errors';
import { CONTRACT, type Channel } from '../../../shared/ipc/contract';
import type { Handlers } from './dispatcher';
import { serverCheckHandler } from './handlers';
import type { HostPolicy } from './host-policy';

export function createCatalogFreeHandlers(policy: HostPolicy): Handlers {
  const refuse = (channel: Channel) => (): Promise<never> =>
    Promise.reject(new StrataError('invalid-argument', `"${channel}" needs a catalog; this connection serves none. Run it against a data folder (--data).`, { channel }));
  const handlers = Object.fromEntries((Object.keys(CONTRACT) as Channel[]).map((c) => [c, refuse(c)])) as unknown as Handlers;
  handlers['server/check'] = serverCheckHandler(policy);
  return handlers;
}
