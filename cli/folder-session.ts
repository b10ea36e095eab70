/**
 * How a CLI command reaches the data folder's catalog. If no other process owns the folder,
 * the command claims it and becomes its owner for as long as it runs (serving the others on
 * the folder's endpoint meanwhile); if one does (the app, `strata serve`, another command),
 * every call goes to that owner over its endpoint, so its database manager decides: reads go
 * on, writes during a move are refused with `busy`, a move it runs reports to all of them.
 */
import { MessageChannel } from 'node:worker_threads';
import { createApi, type StrataApi } from '../shared/ipc/api';
import { createClient } from '../shared/ipc/client';
import type { OwnerKind } from '../shared/ipc/owner-protocol';
import { serve } from '../electron/db/ipc/dispatcher';
import { createHandlers } from '../electron/db/ipc/handlers';
import { LOCAL_POLICY } from '../electron/db/ipc/host-policy';
import { messagePort } from '../electron/db/ipc/ports';
import type { ManagerOptions } from '../electron/db/manager/database-manager';
import type { OpenStoreOptions } from '../electron/db/open-store';
import { claimDataFolder } from '../electron/db/owner/claim-folder';
import { ownedElsewhere } from '../electron/db/owner/owner-message';
import { openOwnedCatalog, type OwnedCatalog } from '../electron/db/owner/open-owned-catalog';

export interface Connected {
  api: StrataApi;
  /** Whose process runs the calls: this one, or the folder's owner (its pid and kind). */
  via: { kind: 'self' } | { kind: OwnerKind; pid: number };
  close: () => Promise<void>;
}

export interface OwnCatalogOptions extends ManagerOptions {
  /** How this process presents itself to the others (default: a CLI command). */
  as?: OwnerKind;
}

export interface FolderSession {
  connect: () => Promise<Connected>;
  /** The catalog to this process alone; refused, naming the owner, when another process has it. */
  ownCatalog: (options?: OwnCatalogOptions) => Promise<OwnedCatalog>;
  close: () => Promise<void>;
}

export function folderSession(dataDir: string, command: string, storeOptions: OpenStoreOptions): FolderSession {
  const open = new Set<() => Promise<void>>();
  const track = (close: () => Promise<void>): (() => Promise<void>) => {
    let done: Promise<void> | null = null;
    const once = (): Promise<void> => {
      open.delete(once);
      done ??= close();
      return done;
    };
    open.add(once);
    return once;
  };
  // A one-shot command never starts a move by itself: the planner's automatic moves belong
  // to the long-running app (and `strata serve`).
  const managerOptions: ManagerOptions = { open: storeOptions, autoMoves: false, planEveryMs: 0 };

  return {
    async connect() {
      const claim = await claimDataFolder(dataDir, { kind: 'cli', command });
      if (claim.owner) {
        const { connection } = claim;
        const close = track(() => Promise.resolve(connection.close()));
        return { api: createApi(connection.client), via: { kind: claim.owner.kind, pid: claim.owner.pid }, close };
      }
      const catalog = await openOwnedCatalog(claim.owned, dataDir, managerOptions);
      // This process's own calls take the same road as everyone else's: the handler map over
      // a port (in memory here).
      const channel = new MessageChannel();
      const dispatcher = serve(messagePort(channel.port1), createHandlers(catalog.manager, LOCAL_POLICY));
      const client = createClient(messagePort(channel.port2));
      const off = catalog.manager.onEvent((name, payload) => dispatcher.emit(name, payload));
      const close = track(async () => {
        off();
        client.close();
        dispatcher.close();
        channel.port1.close();
        channel.port2.close();
        await catalog.close();
      });
      return { api: createApi(client), via: { kind: 'self' }, close };
    },
    async ownCatalog(options = {}) {
      const { as = 'cli', ...rest } = options;
      const claim = await claimDataFolder(dataDir, { kind: as, command });
      if (claim.owner) {
        claim.connection.close();
        throw ownedElsewhere(dataDir, claim.owner, `strata ${command}`);
      }
      const catalog = await openOwnedCatalog(claim.owned, dataDir, { ...managerOptions, ...rest });
      const close = track(() => catalog.close());
      return { ...catalog, close };
    },
    async close() {
      for (const close of [...open]) await close().catch(() => undefined);
    },
  };
}
