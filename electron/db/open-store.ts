/**
 * Opens the store a data folder's durable pointer names (control.db). A folder without one
 * adopts what it holds: a sharded store when only its folder exists, otherwise the one-file
 * catalog (a new folder starts on tier 1 with no questions).
 */
import fs from 'node:fs';
import type { EngineName } from '../../shared/domain';
import { StrataError } from '../../shared/errors';
import type { OpenStoreOptions, StoreRecordShape } from './engines/engine-definition';
import { ENGINES, engineOf } from './engines/registry';
import { ControlDb, type StoreRecord } from './manager/control-db';
import { adoptsSilently, controlMissingError, findStores, refuseMissingActive } from './manager/store-presence';
import type { CatalogStore } from './store';

export type { OpenStoreOptions } from './engines/engine-definition';
export { CATALOG_FILE } from './engines/sqlite/definition';
export { SHARDED_DIR } from './engines/sharded/definition';
export { PGLITE_DIR } from './engines/postgres/pglite-definition';

/**
 * What a data folder without a control database holds: the first engine from before control.db
 * (the registry lists the one file first) whose store is at its place, else that first one (a
 * new folder starts on tier 1 with no questions).
 */
export function detectEngine(dataDir: string): EngineName {
  const older = Object.values(ENGINES).flatMap((e) => (e.predatesControl && e.defaultLocation !== null ? [{ engine: e.name, location: e.defaultLocation, options: {} }] : []));
  const there = older.find((record) => engineOf(record.engine).presence(dataDir, record) !== 'missing');
  const chosen = there ?? older[0];
  if (!chosen) throw new StrataError('internal', 'This version of Strata lists no engine a data folder can start on.');
  return chosen.engine;
}

/** Where a store of `engine` lives inside the data folder when the folder starts on it. */
export function defaultLocation(engine: EngineName): string {
  const location = ENGINES[engine].defaultLocation;
  if (location === null) throw new StrataError('invalid-argument', `A data folder cannot start on ${ENGINES[engine].noun}s; move a catalog there with \`strata migrate --to ${engine}\`.`);
  return location;
}

/** Opens one store from its record; `location` is relative to the data folder. */
export async function openStoreRecord(dataDir: string, record: StoreRecordShape, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  const engine = engineOf(record.engine);
  if (options.readOnly && engine.writesToRead(record)) {
    // PGlite would otherwise fail deep in WebAssembly with an errno. Said here, before it starts.
    throw new StrataError(
      'read-only',
      `The data folder ${dataDir} is read-only (${options.readOnly.path} cannot be written: ${options.readOnly.reason}), and its catalog is kept in ${engine.keptIn(record)}, which must write its data directory even to read. Copy the data folder somewhere you may write and open the copy there; to browse from read-only media, move the catalog to SQLite first (strata migrate --to sqlite) where it is writable.`,
      { dataDir, engine: record.engine, path: options.readOnly.path },
    );
  }
  return engine.open(dataDir, record, options);
}

/**
 * The active store record of a read-only folder: what control.db names, or (a folder from
 * before control.db) what the folder holds, adopted in memory only.
 */
function readOnlyStoreRecord(dataDir: string, engine?: EngineName): StoreRecord {
  return ControlDb.usingReadOnly(dataDir, (control) => {
    const active = control?.activeStore() ?? null;
    if (active) {
      if (engine && engine !== active.engine) {
        throw new StrataError('conflict', `The data folder ${dataDir} holds a ${active.engine} store, not ${engine}.`, { active: active.engine, asked: engine });
      }
      refuseMissingActive(dataDir, control as ControlDb, active);
      return active;
    }
    const found = findStores(dataDir);
    if (!adoptsSilently(dataDir, found)) throw controlMissingError(dataDir, found);
    const adopted = engine ?? detectEngine(dataDir);
    return { id: 0, engine: adopted, location: defaultLocation(adopted), options: {}, role: 'active' };
  });
}

/** The active store record of a data folder, adopting what the folder holds the first time. */
export function activeStoreRecord(dataDir: string, engine?: EngineName, readOnly = false): StoreRecord {
  if (readOnly) return readOnlyStoreRecord(dataDir, engine);
  // A folder Strata creates is the user's alone (see file-modes.ts; one the user chose keeps its mode).
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  return ControlDb.using(dataDir, (control) => {
    const active = control.activeStore();
    if (active) {
      if (engine && engine !== active.engine) {
        throw new StrataError(
          'conflict',
          `The data folder ${dataDir} holds a ${active.engine} store; move it with \`strata migrate --to ${engine}\` instead of opening it as ${engine}.`,
          { active: active.engine, asked: engine },
        );
      }
      refuseMissingActive(dataDir, control, active);
      return active;
    }
    // No pointer: a new folder, a folder from before control.db, or a lost control.db. Only
    // the first two may go on by themselves.
    const found = findStores(dataDir);
    if (!adoptsSilently(dataDir, found)) throw controlMissingError(dataDir, found);
    const adopted = engine ?? detectEngine(dataDir);
    return control.adopt(adopted, defaultLocation(adopted));
  });
}

export async function openStore(dataDir: string, options: OpenStoreOptions = {}): Promise<CatalogStore> {
  return openStoreRecord(dataDir, activeStoreRecord(dataDir, options.engine, options.readOnly !== undefined), options);
}
