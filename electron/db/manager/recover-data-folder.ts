/**
 * The explicit ways out when a data folder's active store is missing or its control.db was
 * lost: adopt a store the folder holds, or start an empty catalog. Neither ever happens by
 * itself (store-presence.ts refuses the open instead), and neither deletes anything.
 */
import path from 'node:path';
import { StrataError, invalidArgument } from '../../../shared/errors';
import type { EngineDefinition } from '../engines/engine-definition';
import { ENGINES } from '../engines/registry';
import { openStoreRecord } from '../open-store';
import { ControlDb, type StoreRecord } from './control-db';
import { findStores, storePresence, type FoundStore, type Presence } from './store-presence';
import { newTargetRecord } from './store-records';

export interface RecoveryReport {
  active: (Pick<StoreRecord, 'engine' | 'location'> & { presence: Presence }) | null;
  found: FoundStore[];
}

export function recoveryReport(dataDir: string): RecoveryReport {
  return ControlDb.using(dataDir, (control) => {
    const active = control.activeStore();
    return {
      active: active ? { engine: active.engine, location: active.location, presence: storePresence(dataDir, active) } : null,
      found: findStores(dataDir),
    };
  });
}

const PORTABLE_PREFIX = 'postgres#';

/** Makes a store found in the folder the active one, after opening it to prove it is a Strata catalog. */
export async function adoptStore(dataDir: string, location: string): Promise<StoreRecord> {
  const found = findStores(dataDir);
  let spec: Pick<StoreRecord, 'engine' | 'location' | 'options'> | undefined;
  if (location.startsWith(PORTABLE_PREFIX) && found.some((f) => f.engine === 'postgres')) {
    const database = location.slice(PORTABLE_PREFIX.length);
    if (!/^[a-z_][a-z0-9_]{0,62}$/u.test(database)) throw invalidArgument(`${JSON.stringify(database)} is not a database name Strata uses (strata or strata_<tag>).`);
    spec = { engine: 'postgres', location: `${PORTABLE_PREFIX}${database}`, options: { server: 'portable', database } };
  } else {
    const wanted = path.normalize(location);
    const match = found.find((f) => f.engine !== 'postgres' && path.normalize(f.location) === wanted);
    if (match) spec = { engine: match.engine, location: match.location, options: match.options };
  }
  if (!spec) {
    const list = found.map((f) => f.location).join(', ') || 'none';
    throw new StrataError('not-found', `${dataDir} holds no store at ${location}. The stores it holds: ${list}.`, { location, found: found.map((f) => f.location) });
  }
  // Opening checks what it is (a foreign or damaged file is refused, naming it).
  const store = await openStoreRecord(dataDir, spec);
  await store.close();
  const chosen = spec;
  return ControlDb.using(dataDir, (control) => control.makeActive(chosen.engine, chosen.location, chosen.options));
}

/**
 * Starts an empty catalog in a new place beside whatever is there (nothing is overwritten), on
 * the same engine as the store it replaces when that engine keeps its files here.
 */
export async function startEmpty(dataDir: string): Promise<StoreRecord> {
  const record = ControlDb.using(dataDir, (control) => {
    const active = control.activeStore();
    const engine = active ? (ENGINES as Record<string, EngineDefinition | undefined>)[active.engine] : undefined;
    // Its own engine when that keeps its files here (not on a server), with its shard count; else one file.
    const local = active && engine && engine.serverOf(active) === null ? { engine, active } : null;
    const to = local ? local.engine.name : 'sqlite';
    const shards = local?.engine.shards && typeof local.active.options.shards === 'number' ? local.active.options.shards : undefined;
    const target = newTargetRecord(dataDir, control, { to, ...(shards === undefined ? {} : { shards }) });
    return control.makeActive(target.engine, target.location, target.options);
  });
  const store = await openStoreRecord(dataDir, record);
  await store.close();
  return record;
}
