/**
 * The owner's side once it holds the folder: open the database manager, serve the handler map
 * on the endpoint, forward the manager's events (a move's progress, a store switch) to every
 * process connected there. If the open fails, the processes waiting at the endpoint get the
 * same error, and the folder is released.
 */
import { createHandlers } from '../ipc/handlers';
import { LOCAL_POLICY } from '../ipc/host-policy';
import { DatabaseManager, type ManagerOptions } from '../manager/database-manager';
import type { FolderClaim } from './claim-folder';

export interface OwnedCatalog {
  manager: DatabaseManager;
  claim: FolderClaim;
  /** Stops the endpoint (its calls are cancelled), closes the manager, releases the folder. */
  close: () => Promise<void>;
}

export async function openOwnedCatalog(claim: FolderClaim, dataDir: string, options: ManagerOptions = {}): Promise<OwnedCatalog> {
  let manager: DatabaseManager;
  try {
    manager = await DatabaseManager.open(dataDir, options);
  } catch (error) {
    claim.endpoint.refuse(error);
    await claim.release();
    throw error;
  }
  // The endpoint's clients are this user's own processes (its token is in a user-only file),
  // so their paths are taken as given, as in the app and the CLI.
  claim.endpoint.attach(createHandlers(manager, LOCAL_POLICY));
  const off = manager.onEvent((name, payload) => claim.endpoint.emit(name, payload));
  let closed: Promise<void> | null = null;
  return {
    manager,
    claim,
    close() {
      closed ??= (async () => {
        off();
        await claim.endpoint.close();
        try {
          await manager.close();
        } finally {
          await claim.release();
        }
      })();
      return closed;
    },
  };
}
