/** The handle `ensurePortableServer` returns: connection details, exit notification, stop. */
import { connectionString, maskedConnectionString, type ConnectionParts } from './connection-string';
import type { PortableLayout } from './layout';
import { stopChild, type Launched } from './server-process';
import type { ServerUser } from './server-user';

/** A fast shutdown writes a checkpoint; after a large load that can take a while. */
export const STOP_TIMEOUT_MS = 60_000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PortableServer {
  /** postgres://strata:<password>@127.0.0.1:<port>/<database> */
  connectionString: string;
  /** The same with the password masked, for showing on screen or logging. */
  displayConnectionString: string;
  host: '127.0.0.1';
  port: number;
  user: string;
  database: string;
  /** major.minor of PostgreSQL. */
  version: string;
  pid: number;
  pgData: string;
  passwordFile: string;
  /** Called if the server exits without `stop()` having been called. */
  onUnexpectedExit(listener: (info: ExitInfo) => void): () => void;
  /** Fast shutdown; resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export function serverHandle(launched: Launched & { port: number }, layout: PortableLayout, user: ServerUser | null, parts: ConnectionParts, version: string): PortableServer {
  let stopping: Promise<void> | null = null;
  const listeners = new Set<(info: ExitInfo) => void>();
  void launched.exited.then((info) => {
    if (!stopping) for (const listener of listeners) listener(info);
  });
  return {
    connectionString: connectionString(parts),
    displayConnectionString: maskedConnectionString(parts),
    host: '127.0.0.1',
    port: parts.port,
    user: parts.user,
    database: parts.database,
    version,
    pid: launched.child.pid ?? 0,
    pgData: layout.pgData,
    passwordFile: layout.passwordFile,
    onUnexpectedExit(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopping ??= stopChild(launched.child, launched.exited, layout, user, STOP_TIMEOUT_MS);
      return stopping;
    },
  };
}
