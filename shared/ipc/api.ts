/**
 * The API the renderer sees: one typed function per operation of the handler map, built over
 * a client. The preload exposes exactly this object; nothing generic ("invoke any channel")
 * crosses into the page.
 */
import type { CallOptions, StrataClient } from './client';
import { CHANNELS, type Args, type Channel, type EventMap, type EventName, type Result } from './contract';

export type StrataApi = { [C in Channel]: (args: Args<C>, options?: CallOptions) => Promise<Result<C>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};

export function createApi(client: StrataClient): StrataApi {
  const api = Object.fromEntries(CHANNELS.map((c) => [c, (args: unknown, options?: CallOptions) => client.call(c, args as never, options)]));
  return { ...api, on: client.on.bind(client) } as StrataApi;
}
