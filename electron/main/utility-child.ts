/**
 * The database process as Electron's utilityProcess, behind the supervisor's DatabaseChild.
 * Main's own calls (the smoke test) and the supervisor's port travel over a MessageChannelMain
 * handed to the process at start, the same way each window's port is handed over (`connect`).
 * Thin glue: the restart logic is the supervisor's, tested under Node with a forked child.
 */
import { MessageChannelMain, utilityProcess, type MessagePortMain } from 'electron';
import type { DatabaseChild, LaunchDatabase } from '../db/supervisor/database-child';

export interface UtilityDatabaseChild extends DatabaseChild {
  /** Gives the process one more client (a window): it serves the typed protocol on that port. */
  connect(port: MessagePortMain): void;
}

export function utilityDatabase(entry: string): LaunchDatabase<UtilityDatabaseChild> {
  return (dataDir) => {
    const child = utilityProcess.fork(entry, ['--data', dataDir], { serviceName: 'Strata database' });
    let alive = true;
    child.once('exit', () => {
      alive = false;
    });
    const connect = (port: MessagePortMain): void => {
      if (alive) child.postMessage({ t: 'connect' }, [port]);
    };
    const { port1, port2 } = new MessageChannelMain();
    connect(port1);
    port2.start();
    return {
      get pid() {
        return child.pid;
      },
      get connected() {
        return alive;
      },
      send: (message) => {
        if (alive) port2.postMessage(message);
      },
      onMessage: (listener) => {
        port2.on('message', (e) => listener(e.data));
      },
      onExit: (listener) => {
        child.once('exit', (code) => listener(code, null));
      },
      shutdown: () => {
        if (alive) child.postMessage({ t: 'shutdown' });
      },
      kill: () => {
        child.kill();
      },
      connect,
    };
  };
}
