/** The page's side of the connection: the preload's API, or the host's WebSocket. */
import { createApi, type StrataApi } from '../../shared/ipc/api';
import { createClient } from '../../shared/ipc/client';
import type { Port } from '../../shared/ipc/protocol';
import { chooseTransport, type PageEnvironment } from './connection';

/** A Port over a browser WebSocket; messages sent before it opens are queued. */
export function webSocketPort(socket: WebSocket): Port {
  const queued: string[] = [];
  socket.addEventListener('open', () => {
    for (const m of queued.splice(0)) socket.send(m);
  });
  const listeners = new Set<(message: unknown) => void>();
  socket.addEventListener('close', () => {
    const notice = { t: 'event', name: 'db/status', payload: { state: 'stopped', detail: 'The connection to the Strata host was lost. Is `strata serve` still running?' } };
    for (const l of listeners) l(notice);
  });
  return {
    send: (m) => {
      const text = JSON.stringify(m);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    },
    onMessage: (listener) => {
      const wrapped = (e: MessageEvent): void => {
        if (typeof e.data !== 'string') return;
        try {
          listener(JSON.parse(e.data) as unknown);
        } catch {
          // Not JSON: not from our host; ignored.
        }
      };
      socket.addEventListener('message', wrapped);
      listeners.add(listener);
      return () => {
        socket.removeEventListener('message', wrapped);
        listeners.delete(listener);
      };
    },
  };
}

export function connect(env: PageEnvironment = { strata: (window as { strata?: StrataApi }).strata, location: window.location }): StrataApi | string {
  const transport = chooseTransport(env);
  if (transport.kind === 'electron') return transport.api;
  if (transport.kind === 'none') return transport.reason;
  return createApi(createClient(webSocketPort(new WebSocket(transport.url))));
}
