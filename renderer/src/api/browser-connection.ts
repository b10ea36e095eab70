/** The page's side of the connection: the preload's API, or the host's WebSocket. */
import { createApi, type StrataApi } from '../../../shared/ipc/api';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import type { DesktopBridge } from '../../../shared/ipc/desktop';
import { StrataError } from '../../../shared/errors';
import type { Port } from '../../../shared/ipc/protocol';
import { chooseTransport, reconnectDelayMs, type PageEnvironment, type WindowStrata } from './connection';

export interface Connection {
  api: StrataApi;
  /** Present in the desktop app only. */
  desktop: DesktopBridge | null;
  kind: 'electron' | 'browser';
}

/**
 * A Port over a WebSocket that comes back by itself: when the host goes away the page hears
 * `db/status` 'restarting', calls in flight fail (they may or may not have run), new calls
 * wait for the next socket, and a successful reconnection says 'ready' so screens reload.
 */
export function reconnectingPort(url: string, onDrop: (error: StrataError) => void, open: (url: string) => WebSocket = (u) => new WebSocket(u)): Port {
  const listeners = new Set<(message: unknown) => void>();
  const queued: string[] = [];
  let socket: WebSocket;
  let attempt = 0;
  let everOpened = false;
  const tell = (payload: { state: 'ready' | 'restarting' | 'stopped'; detail?: string }): void => {
    for (const l of listeners) l({ t: 'event', name: 'db/status', payload });
  };
  const connect = (): void => {
    socket = open(url);
    socket.addEventListener('open', () => {
      const reconnected = everOpened;
      everOpened = true;
      attempt = 0;
      for (const m of queued.splice(0)) socket.send(m);
      if (reconnected) tell({ state: 'ready' });
    });
    socket.addEventListener('message', (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let message: unknown;
      try {
        message = JSON.parse(e.data);
      } catch {
        return; // Not JSON: not from our host.
      }
      for (const l of listeners) l(message);
    });
    socket.addEventListener('close', () => {
      attempt += 1;
      if (attempt === 1) {
        onDrop(new StrataError('closed', 'The connection to the Strata host was lost while this request ran; it may or may not have finished. Check, then try again.'));
        tell({ state: 'restarting', detail: 'The connection to the Strata host was lost. Reconnecting…' });
      }
      setTimeout(connect, reconnectDelayMs(attempt));
    });
  };
  connect();
  return {
    send: (m) => {
      const text = JSON.stringify(m);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queued.push(text);
    },
    onMessage: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export function connect(env: PageEnvironment = { strata: (window as { strata?: WindowStrata }).strata, location: window.location }): Connection | string {
  const transport = chooseTransport(env);
  if (transport.kind === 'electron') {
    const { desktop, ...api } = transport.api;
    return { api: api, desktop: desktop ?? null, kind: 'electron' };
  }
  if (transport.kind === 'none') return transport.reason;
  let client: StrataClient | null = null;
  const port = reconnectingPort(transport.url, (error) => client?.failPending(error));
  client = createClient(port);
  return { api: createApi(client), desktop: null, kind: 'browser' };
}
