/**
 * The wizard's choices: the five places a catalog can live, each explained in plain words, with
 * which one is current, which the planner recommends and which make no sense now (and why).
 * Pure, over what manager/status and manager/plan answer.
 */
import type { EngineName } from '../../../../shared/domain';
import type { Recommendation, StoreRef } from '../../../../shared/manager';

export type TierOptionId = 'sqlite' | 'sharded' | 'pglite' | 'portable' | 'existing';

export interface TierOptionText {
  id: TierOptionId;
  title: string;
  tier: string;
  what: string;
  pays: string;
  costs: string;
}

export const TIER_OPTIONS: readonly TierOptionText[] = [
  {
    id: 'sqlite',
    title: 'One SQLite file',
    tier: 'Tier 1',
    what: 'The whole catalog in one file in the data folder (strata.db).',
    pays: 'Almost always: it answers lookups in well under a millisecond even at 100 million segments, and is the simplest to back up and copy.',
    costs: 'One writer at a time, so very large imports use one core; the file grows as one piece.',
  },
  {
    id: 'sharded',
    title: 'Sharded SQLite',
    tier: 'Tier 2',
    what: 'A catalog file plus several segment files (shards), each written by its own thread.',
    pays: 'Past about a million segments with frequent large imports: imports measured 1.2–1.4× faster with a second core, and no single file gets huge.',
    costs: 'Slower than one file for small catalogs; several files to back up together.',
  },
  {
    id: 'pglite',
    title: 'Embedded PostgreSQL (PGlite)',
    tier: 'Tier 3a',
    what: 'PostgreSQL running inside Strata, in a folder of the data folder. Nothing to install.',
    pays: 'When you want PostgreSQL’s engine and its tools’ file format without running a server.',
    costs: 'The slowest to fill (about 36,000 rows/s measured) and only Strata can open it.',
  },
  {
    id: 'portable',
    title: 'Bundled PostgreSQL server',
    tier: 'Tier 3b',
    what: 'A real PostgreSQL 18 server shipped with Strata, started and stopped with the app, on this machine only.',
    pays: 'When other programs (psql, a reporting tool, scripts) must query the catalog while Strata runs.',
    costs: 'About 60 MB unpacked, a few seconds to start; imports slower than sharded SQLite on one machine.',
  },
  {
    id: 'existing',
    title: 'An existing PostgreSQL server',
    tier: 'Tier 3c',
    what: 'A PostgreSQL 14+ server you already run (or a Citus cluster), named by its connection string.',
    pays: 'When several machines must share one catalog, or it must outgrow this machine.',
    costs: 'You run and back up the server; every query crosses the network.',
  },
];

export interface MoveRequestArgs {
  to: EngineName;
  shards?: number;
  url?: string;
}

export function optionOfStore(store: Pick<StoreRef, 'engine' | 'server'>): TierOptionId {
  if (store.engine === 'postgres') return store.server === 'existing' ? 'existing' : 'portable';
  return store.engine;
}

export interface OptionAvailability {
  current: boolean;
  recommended: boolean;
  /** Why it cannot be chosen now; null when it can. */
  disabledReason: string | null;
}

export interface AvailabilityInput {
  store: Pick<StoreRef, 'engine' | 'server'>;
  moving: boolean;
  portableServerAvailable: boolean;
  recommendation: Pick<Recommendation, 'action' | 'target'> | null;
}

export function recommendedOption(input: Pick<AvailabilityInput, 'recommendation' | 'portableServerAvailable'>): TierOptionId | null {
  const r = input.recommendation;
  if (!r || r.action === 'stay' || !r.target) return null;
  if (r.target.engine === 'postgres') return input.portableServerAvailable ? 'portable' : 'existing';
  return r.target.engine;
}

export function availability(id: TierOptionId, input: AvailabilityInput): OptionAvailability {
  const current = optionOfStore(input.store) === id;
  const recommended = recommendedOption(input) === id;
  let disabledReason: string | null = null;
  if (input.moving) disabledReason = 'A move is running; wait for it to end or cancel it.';
  else if (current && id !== 'sharded' && id !== 'existing') disabledReason = 'The catalog is here now.';
  else if (id === 'portable' && !input.portableServerAvailable) disabledReason = 'The bundled server is not part of this installation.';
  return { current, recommended, disabledReason };
}

/**
 * The way up from each place, nearest tier first (1, 2, 3a, 3b, 3c). Someone who opens the upgrade wizard while the
 * planner says "stay" still came to upgrade: a downgrade (or a re-shard of the current store)
 * is never what to offer first.
 */
const NEXT_UP: Record<TierOptionId, readonly TierOptionId[]> = {
  sqlite: ['sharded', 'pglite', 'portable', 'existing'],
  sharded: ['pglite', 'portable', 'existing'],
  pglite: ['portable', 'existing'],
  portable: ['existing'],
  existing: ['existing'],
};

/** The nearest tier above the current one that can be chosen now; null when there is none. */
export function nextTierUp(input: AvailabilityInput): TierOptionId | null {
  return NEXT_UP[optionOfStore(input.store)].find((id) => availability(id, input).disabledReason === null) ?? null;
}

/**
 * The option to select when the wizard opens: the recommendation; when the planner says stay
 * (or its target cannot be chosen), the next tier up; else the first option that can be chosen.
 */
export function initialOption(input: AvailabilityInput): TierOptionId {
  const rec = recommendedOption(input);
  if (rec && availability(rec, input).disabledReason === null) return rec;
  return nextTierUp(input) ?? TIER_OPTIONS.find((o) => availability(o.id, input).disabledReason === null)?.id ?? 'sharded';
}

export function requestFor(id: TierOptionId, choice: { shards: number; url: string }): MoveRequestArgs {
  switch (id) {
    case 'sharded':
      return { to: 'sharded', shards: choice.shards };
    case 'portable':
      return { to: 'postgres' };
    case 'existing':
      return { to: 'postgres', url: choice.url.trim() };
    default:
      return { to: id };
  }
}

export const ENGINE_WORDS: Record<EngineName, string> = {
  sqlite: 'one SQLite file',
  sharded: 'sharded SQLite',
  pglite: 'embedded PostgreSQL (PGlite)',
  postgres: 'PostgreSQL server',
};

/** "sharded SQLite (8 shards)", "the bundled PostgreSQL server" … for titles and confirmations. */
export function describeStore(store: { engine: EngineName; server?: StoreRef['server']; shards?: number }): string {
  if (store.engine === 'postgres') return store.server === 'existing' ? 'an existing PostgreSQL server' : 'the bundled PostgreSQL server';
  if (store.engine === 'sharded' && store.shards) return `sharded SQLite (${store.shards} shards)`;
  return ENGINE_WORDS[store.engine];
}

/** A connection string that looks like one, before the server is asked. */
export function connectionStringProblem(url: string): string | null {
  const u = url.trim();
  if (u === '') return 'Enter the server’s connection string.';
  if (!/^postgres(ql)?:\/\//u.test(u)) return 'A connection string starts with postgresql:// (for example postgresql://user:password@host:5432/database).';
  return null;
}
