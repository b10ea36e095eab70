/** The connection, given to every screen through context; screens never open their own. */
import { createContext, useContext, useEffect, useRef, type ReactNode } from 'react';
import type { StrataApi } from '../../../shared/ipc/api';
import type { DesktopBridge } from '../../../shared/ipc/desktop';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import type { Connection } from './browser-connection';

const ApiContext = createContext<Connection | null>(null);

export function ApiProvider({ connection, children }: { connection: Connection; children: ReactNode }) {
  return <ApiContext.Provider value={connection}>{children}</ApiContext.Provider>;
}

export function useConnection(): Connection {
  const connection = useContext(ApiContext);
  if (!connection) throw new Error('useConnection outside ApiProvider');
  return connection;
}

export function useApi(): StrataApi {
  return useConnection().api;
}

/** The desktop app's dialogs and file paths; null in a browser. */
export function useDesktop(): DesktopBridge | null {
  return useConnection().desktop;
}

/** Listens to one of the database process's events for as long as the component is mounted. */
export function useEvent<E extends EventName>(name: E, listener: (payload: EventMap[E]) => void): void {
  const api = useApi();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(name, (payload) => latest.current(payload)), [api, name]);
}
