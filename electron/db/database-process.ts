/**
 * The database process: runs the database manager over the data folder (the one owner of the
 * active store) and serves the handler map to its parent and to every window; the manager's
 * events (a move's progress, a recommendation, a store switch) go to all of them. Runs as an Electron utilityProcess in the app and as a forked child process under
 * plain Node (tests, the headless host). If the store cannot be opened, the process still
 * answers, with that error, so the UI can say what is wrong instead of waiting.
 */
import { parseArgs } from 'node:util';
import { StrataError } from '../../shared/errors';
import { CHANNELS } from '../../shared/ipc/contract';
import type { Port } from '../../shared/ipc/protocol';
import { serve, type Dispatcher, type Handlers } from './ipc/dispatcher';
import { createHandlers } from './ipc/handlers';
import { LOCAL_POLICY } from './ipc/host-policy';
import { electronPort, parentProcessPort, type ElectronPort } from './ipc/ports';
import { claimDataFolder } from './owner/claim-folder';
import { DatabaseManager } from './manager/database-manager';
import { readOnlyState } from './read-only/folder-access';
import { ownerLockHeld } from './read-only/live-owner';
import { ownedElsewhere } from './owner/owner-message';
import { openOwnedCatalog, type OwnedCatalog } from './owner/open-owned-catalog';

type ElectronParentPort = ElectronPort;

const electronParent = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

function parentPort(): Port {
  return electronParent ? electronPort(electronParent) : parentProcessPort();
}

const failing = (error: unknown): Handlers => {
  const reason = error instanceof Error ? error : new StrataError('internal', String(error));
  return Object.fromEntries(CHANNELS.map((c) => [c, () => Promise.reject(reason)])) as unknown as Handlers;
};

const { values } = parseArgs({ options: { data: { type: 'string' } }, strict: false });
const dataDir = typeof values.data === 'string' ? values.data : process.env.STRATA_DATA_DIR;
const port = parentPort();

if (!dataDir) {
  serve(port, failing(new StrataError('internal', 'The database process was started without a data folder.')));
} else {
  try {
    // The app owns its data folder while it runs: the CLI and other processes reach the
    // catalog through this process's endpoint, never by opening the store beside it.
    // A folder the app may not write (read-only media, another account's folder) opens
    // read-only without a lock file; see read-only/read-only-sqlite.ts for why that is safe.
    const readOnly = readOnlyState(dataDir);
    let catalog: Pick<OwnedCatalog, 'manager' | 'close'>;
    if (readOnly && !ownerLockHeld(dataDir)) {
      const readOnlyManager = await DatabaseManager.open(dataDir, { readOnly });
      catalog = { manager: readOnlyManager, close: () => readOnlyManager.close() };
    } else {
      const claim = await claimDataFolder(dataDir, { kind: 'app', command: 'app' });
      if (claim.owner) {
        claim.connection.close();
        throw ownedElsewhere(dataDir, claim.owner, 'The app');
      }
      catalog = await openOwnedCatalog(claim.owned, dataDir);
    }
    const { manager } = catalog;
    const ready = { state: 'ready', ...(readOnly ? { readOnly: true } : {}) } as const;
    const handlers = createHandlers(manager, LOCAL_POLICY);
    const dispatcher = serve(port, handlers);
    const dispatchers = new Set<Dispatcher>([dispatcher]);
    manager.onEvent((name, payload) => {
      for (const d of dispatchers) d.emit(name, payload);
    });
    dispatcher.emit('db/status', ready);
    let closing = false;
    const shutdown = async (): Promise<void> => {
      if (closing) return;
      closing = true;
      for (const d of dispatchers) d.close();
      // A running move stops at its last checkpoint (it resumes at the next start); the WAL is
      // flushed into the file, so a copied data folder is complete.
      await catalog.close();
      process.exit(0);
    };
    // In Electron, main hands over one port per window ({t: 'connect'} with the port attached).
    electronParent?.on('message', (e) => {
      if ((e.data as { t?: unknown } | null)?.t === 'shutdown') {
        void shutdown();
        return;
      }
      const windowPort = e.ports?.[0];
      if (windowPort && (e.data as { t?: unknown } | null)?.t === 'connect') {
        const windowDispatcher = serve(electronPort(windowPort), handlers);
        dispatchers.add(windowDispatcher);
        windowDispatcher.emit('db/status', ready);
      }
    });
    process.on('SIGTERM', () => void shutdown());
    process.on('disconnect', () => void shutdown());
  } catch (error) {
    const dispatcher = serve(port, failing(error));
    dispatcher.emit('db/status', { state: 'stopped', detail: error instanceof Error ? error.message : String(error) });
  }
}
