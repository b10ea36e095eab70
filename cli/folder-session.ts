/**
 * How a CLI command reaches the data folder's catalog. If no other process owns the folder,
 * the command claims it and becomes its owner for as long as it runs (serving the others on
 * the folder's endpoint meanwhile); if one does (the app, `strata serve`, another command),
 * every call goes to that owner over its endpoint, so its database manager decides: reads go
 * on, writes during a move are refused with `busy`, a move it runs reports to all of them.
 */
import { isStrataError } from '../shared/errors';
import { createApi, type StrataApi } from '../shared/ipc/api';
import type { CallOptions, StrataClient } from '../shared/ipc/client';
import type { Args, Channel, Result } from '../shared/ipc/contract';
import type { OwnerKind } from '../shared/ipc/owner-protocol';
import { serveInMemory } from '../electron/db/ipc/in-memory';
import { createHandlers } from '../electron/db/ipc/handlers';
import { LOCAL_POLICY } from '../electron/db/ipc/host-policy';
import { DatabaseManager, type ManagerOptions } from '../electron/db/manager/database-manager';
import type { OwnerRecord } from '../shared/ipc/owner-protocol';
import type { OwnerConnection } from '../electron/db/owner/connect-owner';
import { readOnlyState } from '../electron/db/read-only/folder-access';
import { readOnlyRefusal } from '../electron/db/read-only/read-only-error';
import { connectLiveOwner, ownerLockHeld } from '../electron/db/read-only/live-owner';
import type { OpenStoreOptions } from '../electron/db/open-store';
import { claimDataFolder } from '../electron/db/owner/claim-folder';
import { ownedElsewhere } from '../electron/db/owner/owner-message';
import { openOwnedCatalog, type OwnedCatalog } from '../electron/db/owner/open-owned-catalog';

type Via = { kind: 'self' } | { kind: OwnerKind; pid: number };

export interface Connected {
  api: StrataApi;
  /** Whose process runs the calls: this one, or the folder's owner (its pid and kind). */
  via: Via;
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

interface Route {
  client: StrataClient;
  via: Via;
  close: () => Promise<void>;
}

const RETRIES = 3;

/**
 * A client whose calls follow the folder's ownership: when the owner ended normally before it
 * ran a call (a command owner that finished between two of this command's calls), the call
 * goes to whoever owns the folder now, this process included. A call cut short by an owner that
 * died may have run, and is never sent again.
 */
function followingClient(current: () => StrataClient, reroute: () => Promise<void>): StrataClient {
  let rerouting: Promise<void> | null = null;
  return {
    call<C extends Channel>(channel: C, args: Args<C>, options?: CallOptions): Promise<Result<C>> {
      const attempt = async (left: number): Promise<Result<C>> => {
        const client = current();
        try {
          return await client.call(channel, args, options);
        } catch (error) {
          if (left === 0 || !isStrataError(error, 'closed') || error.details?.notRun !== true) throw error;
          if (client === current()) {
            rerouting ??= reroute().finally(() => {
              rerouting = null;
            });
          }
          await rerouting;
          return attempt(left - 1);
        }
      };
      return attempt(RETRIES);
    },
    on: (event, listener) => current().on(event, listener),
    failPending: (error) => current().failPending(error),
    close: () => current().close(),
  };
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

  async function openRoute(): Promise<Route> {
    const readOnly = readOnlyState(dataDir);
    if (readOnly) {
      // A folder this process may not write: no lock file can be made, and none is needed
      // while no owner lives, since nobody can change the catalog (see read-only-sqlite.ts).
      // One that does (another account that may write) is asked, as always.
      if (ownerLockHeld(dataDir)) return ownerRoute(await connectLiveOwner(dataDir));
      const manager = await DatabaseManager.open(dataDir, { ...managerOptions, readOnly });
      return selfRoute({ manager, close: () => manager.close() });
    }
    const claim = await claimDataFolder(dataDir, { kind: 'cli', command });
    if (claim.owner) return ownerRoute(claim);
    return selfRoute(await openOwnedCatalog(claim.owned, dataDir, managerOptions));
  }

  function ownerRoute({ owner, connection }: { owner: OwnerRecord; connection: OwnerConnection }): Route {
    return { client: connection.client, via: { kind: owner.kind, pid: owner.pid }, close: () => Promise.resolve(connection.close()) };
  }

  function selfRoute(catalog: { manager: DatabaseManager; close: () => Promise<void> }): Route {
    // This process's own calls take the same road as everyone else's: the handler map over
    // a port (in memory here).
    const service = serveInMemory(createHandlers(catalog.manager, LOCAL_POLICY));
    const off = catalog.manager.onEvent((name, payload) => service.emit(name, payload));
    return {
      client: service.client,
      via: { kind: 'self' },
      close: async () => {
        off();
        service.close();
        await catalog.close();
      },
    };
  }

  return {
    async connect() {
      let route = await openRoute();
      const client = followingClient(
        () => route.client,
        async () => {
          await route.close();
          route = await openRoute();
        },
      );
      return { api: createApi(client), via: route.via, close: track(() => route.close()) };
    },
    async ownCatalog(options = {}) {
      const { as = 'cli', ...rest } = options;
      // What needs the catalog to itself (generate, serve) needs to own the folder, which
      // takes a lock file: a read-only folder cannot have one.
      const readOnly = readOnlyState(dataDir);
      if (readOnly) throw readOnlyRefusal(dataDir, readOnly, `strata ${command}`);
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
