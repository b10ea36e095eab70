/**
 * The stores a data folder keeps, as the user sees them: the active one, the previous one (the
 * source of the last switch, kept for rollback), the copy of a move under way, and the retired
 * ones (older sources every later move left behind, each a full copy of the catalog on disk),
 * with what removing each would free. Removal takes names the user read in that list.
 *
 * The previous store is removed through the manager that serves the folder
 * (DatabaseManager.removePrevious: it refuses during a move, and its rollback state follows);
 * a retired store is opened by nobody (no pointer, no job names it), so its data can go while
 * an owner runs, which is why this module does not need the folder to itself.
 */
import { StrataError, invalidArgument } from '../../../shared/errors';
import type { EngineName } from '../../../shared/domain';
import { STORES_DIR } from '../engines/engine-definition';
import { ControlDb, type StoreRecord } from './control-db';
import { storePresence } from './store-presence';
import { removeStoreData } from './store-records';
import { storeDiskBytes } from './store-size';

export interface FolderStore {
  /** What the user types to remove it: the store's folder under stores/, or its place at the root. */
  name: string;
  engine: EngineName;
  location: string;
  role: StoreRecord['role'];
  /** Bytes on disk; null for a database on a server (its space is the server's). */
  bytes: number | null;
}

/** Ids of retired stores whose data was removed on request (the record stays as history). */
const REMOVED_KEY = 'removedStores';

function removedIds(control: ControlDb): Set<number> {
  const value = control.settings()[REMOVED_KEY];
  return new Set(Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []);
}

/** A move's copy by its folder under stores/ (`sharded-m4x1`, `sqlite-m4x1`); the first store by its place (`strata.db`). */
export function storeName(location: string): string {
  const parts = location.split(/[\\/]/u);
  if (parts[0] === STORES_DIR && parts[1]) return parts[1];
  return location;
}

function listed(dataDir: string, control: ControlDb | null): FolderStore[] {
  if (!control) return [];
  const removed = removedIds(control);
  return control
    .stores()
    .filter((r) => {
      if (r.role !== 'retired') return true;
      // A retired store whose data is gone (discarded copies, removed stores) is history, not a
      // store. A database on a server always counts as there (its engine answers 'present').
      if (removed.has(r.id)) return false;
      return storePresence(dataDir, r) !== 'missing';
    })
    .map((r) => ({ name: storeName(r.location), engine: r.engine, location: r.location, role: r.role, bytes: storeDiskBytes(dataDir, r) }));
}

/** Every store the folder keeps, newest first; empty for a folder without control.db. */
export function listFolderStores(dataDir: string, options: { readOnly?: boolean } = {}): FolderStore[] {
  return options.readOnly ? ControlDb.usingReadOnly(dataDir, (c) => listed(dataDir, c)) : ControlDb.using(dataDir, (c) => listed(dataDir, c));
}

/** The stores `names` designate, each checked for removal; throws before removing anything when one is wrong. */
export function storesToRemove(dataDir: string, names: readonly string[]): FolderStore[] {
  const stores = listFolderStores(dataDir);
  return names.map((name) => {
    const store = stores.find((s) => s.name === name || s.location === name);
    if (!store) {
      const known = stores.map((s) => s.name).join(', ') || 'none';
      throw invalidArgument(`There is no store named "${name}" in ${dataDir} (the stores: ${known}). strata stores lists them.`, { name });
    }
    if (store.role === 'active') {
      throw new StrataError('conflict', `${store.name} is the active store, the catalog itself; it is never removed. Move the catalog elsewhere first (strata migrate) if you want it gone.`, { name });
    }
    if (store.role === 'target') {
      throw new StrataError('conflict', `${store.name} is the copy of a move that has not finished; strata migrate --discard removes it, or running the move again completes it.`, { name });
    }
    return store;
  });
}

/** Removes the data of retired stores (the previous one goes through the manager). */
export function removeRetiredStores(dataDir: string, stores: readonly FolderStore[]): Promise<void> {
  return ControlDb.using(dataDir, async (control) => {
    const records = control.stores();
    for (const store of stores) {
      const record = records.find((r) => r.location === store.location);
      if (!record || record.role !== 'retired') {
        throw new StrataError('conflict', `${store.name} is no longer a retired store (a move or rollback changed the folder meanwhile); nothing more was removed. Run strata stores again.`, { name: store.name });
      }
      await removeStoreData(dataDir, record);
      control.saveSettings({ [REMOVED_KEY]: [...removedIds(control), record.id] });
    }
  });
}
