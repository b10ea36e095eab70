/**
 * What the database manager reports: the active store, a move in progress, live statistics,
 * the planner's recommendation and the user's settings. Shared by the database process, the
 * CLI and the renderer (the upgrade wizard shows exactly these).
 */
import type { EngineName } from './domain';

/**
 * The engines a data folder can move to in this version. Here, in a module that loads nothing,
 * so that the CLI's help and argument check name them without loading the migration engine.
 */
export const MIGRATION_TARGETS = ['sqlite', 'sharded', 'pglite', 'postgres'] as const satisfies readonly EngineName[];
export type MigrationTarget = (typeof MIGRATION_TARGETS)[number];

export interface TierTarget {
  engine: EngineName;
  shards?: number;
}

export interface Recommendation {
  action: 'stay' | 'move' | 'reshard';
  target: TierTarget | null;
  /** A move that needs nothing installed or configured, which may run without asking. */
  automatic: boolean;
  reasons: string[];
  estimate: { ms: number; diskBytes: number } | null;
  /** Set when a move is advised but cannot run now (not enough free disk). */
  blockedBy: string | null;
}

/** Where a Postgres store lives: the bundled portable server or a server the user named. */
export type ServerKind = 'portable' | 'existing';

export interface StoreRef {
  engine: EngineName;
  /** Inside the data folder, or the server and database (never a password). */
  location: string;
  server: ServerKind | null;
}

export interface ManagerSettings {
  /** Moves that need nothing installed or configured: one file -> sharded, more shards. */
  simpleMoves: 'automatic' | 'ask';
  /** Moves to PostgreSQL and every downgrade. */
  otherMoves: 'automatic' | 'ask';
  /** Other programs or machines must reach the catalog (only a server allows it). */
  sharedAccess: boolean;
}

export const DEFAULT_MANAGER_SETTINGS: ManagerSettings = { simpleMoves: 'automatic', otherMoves: 'ask', sharedAccess: false };

export type MovePhase = 'preflight' | 'copy' | 'index' | 'verify' | 'switch' | 'cleanup' | 'done';

/**
 * How far a copy has got: the one progress shape from the migration engine (copy-store.ts)
 * through the manager to the `migration/progress` event, whose payload is this with the move's
 * identity (MoveProgress), and to the CLI's bar (through the call's progress fields below).
 */
export interface CopyProgress {
  phase: MovePhase;
  table: string | null;
  rows: number;
  totalRows: number;
  /** Bytes copied, estimated from the source's measured size per row. */
  bytes: number;
  rowsPerSecond: number;
  etaMs: number | null;
  elapsedMs: number;
}

export interface MoveProgress extends CopyProgress {
  kind: 'migrate' | 'reshard';
  from: StoreRef;
  to: TierTarget;
  /** Started by the manager's policy rather than by the user. */
  automatic: boolean;
}

/** A call's progress fields (ProgressEvent in ipc/contract.ts): flat strings and numbers, no null. */
type ProgressFields = Record<string, string | number | boolean>;

/** A move's progress as the fields of `migration/start`'s progress events: no table is '', no ETA is -1. */
export function copyProgressFields(p: CopyProgress): ProgressFields {
  return { phase: p.phase, table: p.table ?? '', rows: p.rows, totalRows: p.totalRows, bytes: p.bytes, rowsPerSecond: p.rowsPerSecond, etaMs: p.etaMs ?? -1 };
}

/** The progress those fields carry (the elapsed time is not among them), for a front end that follows the call. */
export function copyProgressOf(fields: ProgressFields): Omit<CopyProgress, 'elapsedMs'> {
  const etaMs = Number(fields.etaMs);
  return {
    phase: String(fields.phase) as MovePhase,
    table: typeof fields.table === 'string' && fields.table ? fields.table : null,
    rows: Number(fields.rows),
    totalRows: Number(fields.totalRows),
    bytes: Number(fields.bytes),
    rowsPerSecond: Number(fields.rowsPerSecond),
    etaMs: etaMs >= 0 ? etaMs : null,
  };
}

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface LiveStats {
  segments: number;
  files: number;
  dbBytes: number;
  /** Measured from the size samples of the last days; 0 until there are two. */
  segmentsAddedPerDay: number;
  /** Latencies of real queries answered since the store opened. */
  latencies: { segments: LatencySummary; page: LatencySummary; search: LatencySummary };
  sampledAt: number;
}

/** A move that stopped before its switch: resumable, or removable on request. */
export interface InterruptedMove {
  to: StoreRef;
  /** Paused by the user or by a full disk (resumes on request); otherwise the process died (resumes by itself). */
  paused: boolean;
  reason: string | null;
}

/** The last backup that succeeded, recorded in control.db. */
export interface LastBackup {
  at: number;
  path: string;
  bytes: number;
}

/** Why a data folder was opened read-only: the first path Strata may not write, and what the system said. */
export interface ReadOnlyState {
  path: string;
  reason: string;
}

export interface ManagerStatus {
  store: StoreRef;
  /** Set when the data folder cannot be written: reading, searching and exporting elsewhere work; every change is refused with `read-only`. */
  readOnly: ReadOnlyState | null;
  previous: StoreRef | null;
  /** What removing the previous store frees on this disk; null when it is not measurable here (a server). */
  previousBytes: number | null;
  lastBackup: LastBackup | null;
  /** The previous store can be gone back to without losing a change. */
  rollbackSafe: boolean;
  activity: 'idle' | 'moving' | 'switching';
  move: MoveProgress | null;
  interrupted: InterruptedMove | null;
  settings: ManagerSettings;
  live: LiveStats;
  recommendation: Recommendation | null;
  plannedAt: number | null;
}

/**
 * What a move to a target would take, asked before it starts (the wizard's preflight): the
 * disk it needs beside the catalog against what is free, and the time the planner's measured
 * copy rates give. `refusal` says why it cannot start now, in the user's words.
 */
export interface MovePreflight {
  to: TierTarget;
  server: ServerKind | null;
  kind: 'migrate' | 'reshard';
  /** Rows the copy moves (all tables), from the store's counters. */
  rows: number;
  sourceBytes: number;
  neededBytes: number;
  freeBytes: number;
  /** Needs no room here: the data goes to a server elsewhere. */
  remote: boolean;
  fits: boolean;
  estimateMs: number;
  refusal: string | null;
  notes: string[];
}
