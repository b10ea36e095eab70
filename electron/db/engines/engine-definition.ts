/**
 * What the rest of Strata knows about an engine, in one place per engine
 * (engines/<engine>/definition.ts), listed in engines/registry.ts. Opening a store, making the
 * target of a move, finding a store on disk and removing one ask the definition; nothing
 * outside the engine's folder branches on its name.
 */
import fs from 'node:fs';
import type { EngineName, Tier } from '../../../shared/domain';
import type { PostgresStoreOptions } from './postgres/open-pg-store';
import type { PgStoreOptions } from './postgres/pg-store';
import type { ShardedStoreOptions } from './sharded/sharded-store';
import type { SqliteStoreOptions } from './sqlite/sqlite-store';
import type { ReadOnlyState, ServerKind } from '../../../shared/manager';
import type { CatalogStore } from '../store';

/** A store as control.db records it; `location` is relative to the data folder. */
export interface StoreRecordShape {
  engine: EngineName;
  location: string;
  options: Record<string, unknown>;
}

export interface OpenStoreOptions {
  /** The engine of a new data folder's store; an existing folder must already be on it. */
  engine?: EngineName;
  sqlite?: SqliteStoreOptions;
  sharded?: ShardedStoreOptions;
  pglite?: PgStoreOptions;
  /** A portable or existing server: required for the postgres engine (never stored in a record). */
  postgres?: PostgresStoreOptions & { connectionString: string };
  /** The data folder cannot be written (read-only/folder-access.ts): open query-only, record nothing. */
  readOnly?: ReadOnlyState;
}

/** Where a move's copy should go: the engine's own spec of a target. */
export interface TargetSpec {
  to: EngineName;
  shards?: number;
  url?: string;
}

/** What is on disk where a store record points. */
export type Presence = 'present' | 'missing' | 'empty';

/** The data folder's folder for the copies moves make, one folder each (`stores/<prefix><tag>`). */
export const STORES_DIR = 'stores';

/**
 * What a copy into an engine costs, measured (docs/benchmarks.md): the planner's and the
 * preflight's time estimates, and the disk a copy needs and keeps free (migration/target-space.ts).
 * Change a number only with the benchmark that justifies it.
 */
export interface CopyCost {
  /** Rows per second copied and verified into this engine. */
  rowsPerSecond: number;
  /** An empty store of this engine. */
  fixedBytes: number;
  /** Each copied row, indexes included. */
  bytesPerRow: number;
  /** Free space the copy never goes below. */
  floorBytes: number;
}

/** Data of an engine that the data folder holds outside any one store's place, found when control.db is lost. */
export interface FoundData {
  location: string;
  options: Record<string, unknown>;
  /** The folder holding it, measured for the user. */
  dir: string;
}

export interface EngineDefinition {
  readonly name: EngineName;
  readonly tier: Tier;
  /** In the user's words, for messages: "one-file catalog", "sharded catalog"… */
  readonly noun: string;
  /** What the catalog is on, after "already on": "one SQLite file", "a PostgreSQL server"… */
  readonly storedOn: string;
  /** What the catalog of `record` is kept in, after "kept in" (the refusal to open a read-only folder). */
  keptIn(record: StoreRecordShape): string;
  /** Where a data folder that starts on this engine keeps its store; null for a server. */
  readonly defaultLocation: string | null;
  /**
   * Strata kept this engine's stores before control.db existed: a folder holding only such a
   * store at its default place is adopted without asking (what a new version finds at its first start).
   */
  readonly predatesControl: boolean;
  /** Other programs or machines can reach the catalog (a server); the planner's answer to shared access. */
  readonly sharedAccess: boolean;
  /** Segments spread over shard files: a new store gets `default` of them unless told, and re-sharding changes the count in place. Null for one-segment-table engines. */
  readonly shards: { readonly default: number } | null;
  readonly copyCost: CopyCost;
  /** What the wizard's preflight says about a move to this engine, beyond the figures; null when nothing. */
  readonly moveNote: string | null;
  /** The server a record's store is on; null for an engine that keeps its stores in files. */
  serverOf(record: Pick<StoreRecordShape, 'options'>): ServerKind | null;
  /** The server a new target goes to: the existing one at `url`, else the bundled one; null (no URL taken) for a file engine. */
  targetServer(url: string | undefined): ServerKind | null;
  /**
   * The record of a new, empty place for a move's copy (`tag` makes its name unique). It may
   * leave files of its own in the data folder (a server's connection string).
   */
  newTarget(dataDir: string, spec: TargetSpec, tag: string): Omit<StoreRecordShape, 'engine'>;
  /** The location of a move's copy in `stores/<folder>` when the folder's name is one `newTarget` makes; null otherwise. */
  copyLocation(folder: string): string | null;
  /** The options the record of a store found at `where` (absolute) needs, with no record to read them from (a lost control.db). */
  foundOptions(where: string): Record<string, unknown>;
  /** Data of this engine elsewhere in the data folder (the bundled server's cluster), listed when control.db is lost. */
  foundData(dataDir: string): FoundData | null;
  /** Paths of the store's data in the data folder, measured for what removing it frees; null for a store on a server. */
  dataPaths(dataDir: string, record: StoreRecordShape): string[] | null;
  open(dataDir: string, record: StoreRecordShape, options: OpenStoreOptions): Promise<CatalogStore>;
  /** Must write its data directory even to read (PostgreSQL does), so a read-only folder cannot open it. */
  writesToRead(record: StoreRecordShape): boolean;
  /** Whether its data is where the record points ('present' for a server: it checks at open). */
  presence(dataDir: string, record: StoreRecordShape): Presence;
  /** Removes the store's data: files, or a database or tables on a server. */
  removeData(dataDir: string, record: StoreRecordShape): Promise<void>;
}

/** 'missing', 'empty' (0 bytes) or 'present' for one file; unreadable is the engine's to report. */
export function fileState(file: string): Presence {
  try {
    return fs.statSync(file).size === 0 ? 'empty' : 'present';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    return 'present';
  }
}
