/**
 * What the rest of Strata knows about an engine, in one place per engine
 * (engines/<engine>/definition.ts), listed in engines/registry.ts. Opening a store, making the
 * target of a move, finding a store on disk and removing one ask the definition; nothing
 * outside the engine's folder branches on its name.
 */
import fs from 'node:fs';
import type { EngineName } from '../../../shared/domain';
import type { PostgresStoreOptions } from './postgres/open-pg-store';
import type { PgStoreOptions } from './postgres/pg-store';
import type { ShardedStoreOptions } from './sharded/sharded-store';
import type { SqliteStoreOptions } from './sqlite/sqlite-store';
import type { ReadOnlyState } from '../../../shared/manager';
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

export interface EngineDefinition {
  readonly name: EngineName;
  /** In the user's words, for messages: "one-file catalog", "sharded catalog"… */
  readonly noun: string;
  /** Where a data folder that starts on this engine keeps its store; null for a server. */
  readonly defaultLocation: string | null;
  /**
   * The record of a new, empty place for a move's copy (`tag` makes its name unique). It may
   * leave files of its own in the data folder (a server's connection string).
   */
  newTarget(dataDir: string, spec: TargetSpec, tag: string): Omit<StoreRecordShape, 'engine'>;
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
