/**
 * Is the active store still there? And, when control.db itself is gone, which stores does the
 * folder hold? Both exist so that a lost file never turns into an empty catalog: every engine
 * creates a new store where it finds nothing, which is right for a new folder and silent data
 * loss for one whose catalog was deleted, truncated or unmounted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineName } from '../../../shared/domain';
import { StrataError } from '../../../shared/errors';
import { STORES_DIR, type Presence } from '../engines/engine-definition';
import { ENGINES, engineOf } from '../engines/registry';
import { PORTABLE_DIR } from '../portable-server/layout';
import { CONTROL_FILE, type ControlDb, type SizeSample, type StoreRecord } from './control-db';
import { SECRETS_DIR } from './store-secrets';

export type { Presence } from '../engines/engine-definition';

export function storePresence(dataDir: string, record: Pick<StoreRecord, 'engine' | 'location' | 'options'>): Presence {
  return engineOf(record.engine).presence(dataDir, record);
}

function describeStore(record: Pick<StoreRecord, 'engine'>): string {
  return engineOf(record.engine).noun;
}

/**
 * Refuses to open an active store that is gone or empty once control.db has seen it hold a
 * catalog (a size sample since the pointer last moved). Before that, an empty place is a new
 * folder's first start, and the engine creates its store there.
 */
export function refuseMissingActive(dataDir: string, control: ControlDb, active: StoreRecord): void {
  const presence = storePresence(dataDir, active);
  if (presence === 'present') return;
  const seen: SizeSample | null = control.lastSampleSinceSwitch();
  if (!seen) return;
  const where = path.resolve(dataDir, active.location);
  const previous = control.storeWithRole('previous');
  const previousThere = previous !== null && storePresence(dataDir, previous) === 'present';
  const what = presence === 'missing' ? 'is missing' : 'is empty (0 bytes)';
  const steps = [
    'put it back if it was moved or its drive is not connected',
    'restore a backup (strata restore <backup>)',
    ...(previousThere ? [`go back to the previous store, ${previous.engine} in ${previous.location} (strata recover --adopt ${previous.location})`] : []),
    'or start an empty catalog on purpose (strata recover --start-empty)',
  ];
  throw new StrataError(
    'store-missing',
    `The active ${describeStore(active)} ${where} ${what}, although this data folder last saw ${seen.files.toLocaleString('en-US')} files and ${seen.segments.toLocaleString('en-US')} segments in it (${new Date(seen.at).toISOString()}). Strata did not create an empty catalog in its place. To go on: ${steps.join('; ')}.`,
    {
      location: active.location,
      path: where,
      engine: active.engine,
      presence,
      lastFiles: seen.files,
      lastSegments: seen.segments,
      lastSeenAt: seen.at,
      previous: previousThere ? previous.location : null,
    },
  );
}

/** A store found in a data folder whose control.db was lost. */
export interface FoundStore {
  engine: EngineName;
  /** Relative to the data folder, as `strata recover --adopt` takes it. */
  location: string;
  options: Record<string, unknown>;
  bytes: number;
  modifiedAt: number;
}

function sizeOf(target: string): { bytes: number; modifiedAt: number } {
  let bytes = 0;
  let modifiedAt = 0;
  const stat = fs.statSync(target);
  if (stat.isFile()) return { bytes: stat.size, modifiedAt: stat.mtimeMs };
  for (const entry of fs.readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    try {
      const s = fs.statSync(path.join(entry.parentPath, entry.name));
      bytes += s.size;
      modifiedAt = Math.max(modifiedAt, s.mtimeMs);
    } catch {
      // Removed while walking: not counted.
    }
  }
  return { bytes, modifiedAt };
}

function candidate(dataDir: string, engine: EngineName, location: string): FoundStore | null {
  const record = { engine, location, options: {} };
  if (storePresence(dataDir, record) !== 'present') return null;
  const where = path.resolve(dataDir, location);
  return { engine, location, options: engineOf(engine).foundOptions(where), ...sizeOf(where) };
}

/**
 * The stores a data folder holds, found by their layout: the first store's places (strata.db,
 * sharded/, pglite/), the copies migrations made under stores/, and the portable server's
 * databases (listed as the cluster: its databases are only known to the running server).
 */
export function findStores(dataDir: string): FoundStore[] {
  const found: FoundStore[] = [];
  const add = (store: FoundStore | null): void => {
    if (store) found.push(store);
  };
  // Each engine's first place in a folder that started on it (a server has none).
  for (const engine of Object.values(ENGINES)) {
    if (engine.defaultLocation !== null) add(candidate(dataDir, engine.name, engine.defaultLocation));
  }
  const storesDir = path.join(dataDir, STORES_DIR);
  let names: string[] = [];
  try {
    names = fs.readdirSync(storesDir).sort();
  } catch {
    // No migration ever ran here.
  }
  // Each copy by the engine whose folder name it has (every engine names its copies with its own prefix).
  for (const name of names) {
    for (const engine of Object.values(ENGINES)) {
      const location = engine.copyLocation(name);
      if (location === null) continue;
      add(candidate(dataDir, engine.name, location));
      break;
    }
  }
  for (const engine of Object.values(ENGINES)) {
    const data = engine.foundData(dataDir);
    if (data) found.push({ engine: engine.name, location: data.location, options: data.options, ...sizeOf(data.dir) });
  }
  return found;
}

/** Whether a folder without control.db may adopt what it holds without asking. */
export function adoptsSilently(dataDir: string, found: readonly FoundStore[]): boolean {
  if (found.length === 0) return true;
  // The layout of a folder from before control.db existed: one store at its first place and
  // nothing a migration or a server made. Anything else means control.db was lost.
  if (found.length > 1) return false;
  const only = found[0] as FoundStore;
  const extras = [STORES_DIR, PORTABLE_DIR, SECRETS_DIR].some((name) => fs.existsSync(path.join(dataDir, name)));
  const engine = engineOf(only.engine);
  return !extras && engine.predatesControl && only.location === engine.defaultLocation;
}

export function controlMissingError(dataDir: string, found: readonly FoundStore[]): StrataError {
  const lines = found.map(
    (f) => `  ${f.location}  (${f.engine}, ${(f.bytes / 1e6).toFixed(1)} MB, last changed ${f.modifiedAt > 0 ? new Date(f.modifiedAt).toISOString() : 'unknown'})`,
  );
  return new StrataError(
    'control-missing',
    `The data folder ${dataDir} has no ${CONTROL_FILE} (the file that names the active catalog), but it holds these stores:\n${lines.join('\n')}\n` +
      'Strata did not pick one or create an empty catalog. Adopt the one that was active with `strata recover --adopt <location>` ' +
      '(for the portable server, `--adopt postgres#<database>`), restore a backup (strata restore <backup>), or start an empty catalog on purpose (strata recover --start-empty).',
    { dataDir, found: found.map((f) => ({ engine: f.engine, location: f.location, bytes: f.bytes, modifiedAt: f.modifiedAt })) },
  );
}
