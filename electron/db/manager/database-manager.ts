/**
 * The database manager: the one owner of the active store. It opens what the control
 * database's pointer names, keeps live statistics (sizes, growth, latencies of real queries),
 * runs the planner after large imports and on a schedule, and moves the catalog between tiers
 * by the user's settings: moves that need nothing installed may run by themselves at a quiet
 * moment; the others wait for the user (the wizard). The CLI and the IPC handlers reach the
 * store only through `read` and `write`, so a move can hold writes back and switch stores
 * under them without a call ever seeing a closed store.
 *
 * During a move, reads go to the source as usual and writes are refused with `busy` rather
 * than queued: a queued import would exist only in memory until the switch, lost if the app
 * quit meanwhile, and the user could not see it in the catalog. Refusing says so at once.
 */
import path from 'node:path';
import { StrataError, serializeError } from '../../../shared/errors';
import type { EventMap } from '../../../shared/ipc/contract';
import { lastBackupSchema } from '../../../shared/ipc/manager-schemas';
import {
  MIGRATION_TARGETS,
  type LastBackup,
  type LiveStats,
  type ManagerSettings,
  type ManagerStatus,
  type MoveProgress,
  type MovePreflight,
  type ReadOnlyState,
  type Recommendation,
  type StoreRef,
} from '../../../shared/manager';
import { engineOf } from '../engines/registry';
import { readOnlyRefusal } from '../read-only/read-only-error';
import { activeStoreRecord, openStoreRecord, type OpenStoreOptions } from '../open-store';
import { planTier, type PlannerInput } from '../planner/plan-tier';
import { gatherPlannerInput } from '../planner/planner-input';
import type { CatalogReader, CatalogStore, IntegrityReport, RepairReport } from '../store';
import { ControlDb, type CheckRecord, type StoreRecord } from './control-db';
import { LatencyRing, QUERY_KINDS, segmentsPerDay, type QueryKind } from './live-stats';
import { discardInterruptedMove, migrateDataFolder, removePreviousStore, rollbackDataFolder } from '../migration/migrate-data-folder';
import { MoveJournal } from '../migration/move-journal';
import { decideMove } from './move-policy';
import { parseSettings } from './manager-settings';
import { preflightMove } from './move-preflight';
import { serverOf } from './store-records';
import type { BackupProgress, BackupResult } from '../store';
import { refuseBackupIntoStores } from './backup-destination';
import { restoreDataFolder, type RestoreResult } from './restore-data-folder';
import { ensureReserve, releaseReserve, releaseReserveIfFull } from '../disk-reserve';
import { storeDiskBytes } from './store-size';
import { atBackgroundPriority } from '../runtime/background-priority';
import type { MoveRequest } from './move-preflight';

export interface ManagerOptions {
  open?: OpenStoreOptions;
  /** The planner; the real one unless a test drives the policy with its own recommendations. */
  planner?: (input: PlannerInput) => Recommendation;
  /** How often the planner runs by itself (0: never on a schedule). */
  planEveryMs?: number;
  /**
   * The first scheduled plan comes this long after the open (at most planEveryMs), so a catalog
   * that already calls for a move does not wait an hour for the first look.
   */
  firstPlanMs?: number;
  /** An automatic move starts only after no call has run for this long. */
  quietMs?: number;
  /** A write that adds at least this many segments runs the planner. */
  largeImportSegments?: number;
  /** Least time between two size samples (growth), except after a large import. */
  sampleEveryMs?: number;
  /** False in one-shot processes (the CLI): the policy never starts a move there. */
  autoMoves?: boolean;
  /**
   * The data folder cannot be written (read-only/folder-access.ts): the store opens
   * query-only, control.db is read and never written, and every change is refused with
   * `read-only` before it starts.
   */
  readOnly?: ReadOnlyState;
}

export type { MoveRequest } from './move-preflight';

export interface MoveResult {
  kind: 'migrate' | 'reshard';
  from: StoreRef;
  to: StoreRef;
  rows: number;
  resumed: boolean;
  verified: boolean;
  elapsedMs: number;
  tables: { table: string; rows: number; digest: string }[];
}

/** The events the manager raises; the database process forwards them to every window. */
export type ManagerEventName = 'migration/progress' | 'migration/ended' | 'manager/recommendation' | 'manager/store-changed' | 'catalog/changed';
type Listener = <E extends ManagerEventName>(name: E, payload: EventMap[E]) => void;

const HOUR_MS = 3_600_000;
/** The settings table's key for the last backup (not a setting: parseSettings ignores it). */
const LAST_BACKUP_KEY = 'lastBackup';
const DAY_MS = 24 * HOUR_MS;
const GROWTH_WINDOW_MS = 7 * DAY_MS;
const SAMPLES_KEPT_MS = 30 * DAY_MS;

interface RunningMove {
  abort: AbortController;
  progress: MoveProgress;
  done: Promise<MoveResult>;
}

export class DatabaseManager {
  private readsInFlight = 0;
  private writesInFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private lastActivity = Date.now();
  private move: RunningMove | null = null;
  private switching: Promise<void> | null = null;
  private readonly latencies: Record<QueryKind, LatencyRing> = { segments: new LatencyRing(), page: new LatencyRing(), search: new LatencyRing() };
  private live: Omit<LiveStats, 'latencies' | 'segmentsAddedPerDay'> = { segments: 0, files: 0, dbBytes: 0, sampledAt: 0 };
  private lastSampleAt = 0;
  private recommendation: Recommendation | null = null;
  private plannedAt: number | null = null;
  /** A move the policy allows, waiting for a quiet moment. */
  private pendingAutoMove: MoveRequest | null = null;
  private changedSinceSwitch: boolean;
  /** The active store's last check, when it failed (from control.db, so it holds across restarts). */
  private failedCheck: CheckRecord | null = null;
  /** A move stopped before its switch (paused, or cut short by a crash) has a copy on disk. */
  private interruptedMove = false;
  private readonly listeners = new Set<Listener>();
  private readonly timers: NodeJS.Timeout[] = [];
  private closed = false;
  private readonly options: Required<Omit<ManagerOptions, 'open' | 'readOnly'>> & { open: OpenStoreOptions };
  private readonly readOnly: ReadOnlyState | null;

  private constructor(
    readonly dataDir: string,
    private current: CatalogStore,
    private record: StoreRecord,
    private settings: ManagerSettings,
    changed: boolean,
    options: ManagerOptions,
  ) {
    this.changedSinceSwitch = changed;
    this.readOnly = options.readOnly ?? null;
    this.options = {
      open: { ...options.open, ...(options.readOnly ? { readOnly: options.readOnly } : {}) },
      planner: options.planner ?? planTier,
      planEveryMs: options.planEveryMs ?? HOUR_MS,
      firstPlanMs: options.firstPlanMs ?? 30_000,
      quietMs: options.quietMs ?? 60_000,
      largeImportSegments: options.largeImportSegments ?? 100_000,
      sampleEveryMs: options.sampleEveryMs ?? 10 * 60_000,
      // A read-only folder can take no move: nothing plans one there.
      autoMoves: (options.autoMoves ?? true) && !options.readOnly,
    };
  }

  /** Reads control.db; in a read-only folder query-only, and `fallback` when it has none. */
  private static readControl<T>(dataDir: string, readOnly: boolean, fn: (control: ControlDb) => T, fallback: T): T {
    return readOnly ? ControlDb.usingReadOnly(dataDir, (c) => (c ? fn(c) : fallback)) : ControlDb.using(dataDir, fn);
  }

  private control<T>(fn: (control: ControlDb) => T, fallback: T): T {
    return DatabaseManager.readControl(this.dataDir, this.readOnly !== null, fn, fallback);
  }

  private refuseWhileReadOnly(what: string): void {
    if (this.readOnly) throw readOnlyRefusal(this.dataDir, this.readOnly, what);
  }

  /** Opens the data folder's active store (a new folder starts on one SQLite file, no questions asked). */
  static async open(dataDir: string, options: ManagerOptions = {}): Promise<DatabaseManager> {
    const readOnly = options.readOnly !== undefined;
    if (!readOnly) releaseReserveIfFull(dataDir);
    const record = activeStoreRecord(dataDir, options.open?.engine, readOnly);
    const { settings, changed, interrupted, lastCheck } = DatabaseManager.readControl(
      dataDir,
      readOnly,
      (c) => ({
        settings: parseSettings(c.settings()),
        changed: c.changedSinceSwitch(),
        interrupted: new MoveJournal(c).runningJob(),
        lastCheck: c.lastCheck(record.id),
      }),
      { settings: parseSettings({}), changed: false, interrupted: null, lastCheck: null },
    );
    const store = await openStoreRecord(dataDir, record, { ...options.open, ...(options.readOnly ? { readOnly: options.readOnly } : {}) });
    const manager = new DatabaseManager(dataDir, store, record, settings, changed, options);
    manager.interruptedMove = interrupted !== null;
    manager.failedCheck = lastCheck && !lastCheck.ok ? lastCheck : null;
    await manager.sample(true);
    // A move the process died in the middle of was consented to already: it resumes by itself
    // at the first quiet moment. A paused one waits for the user.
    if (interrupted && !interrupted.paused && manager.options.autoMoves) {
      const target = ControlDb.using(dataDir, (c) => c.store(interrupted.targetId));
      if ((MIGRATION_TARGETS as readonly string[]).includes(target.engine) && serverOf(target) !== 'existing') {
        manager.pendingAutoMove = { to: target.engine, ...(typeof target.options.shards === 'number' ? { shards: target.options.shards } : {}) };
      }
    }
    if (!readOnly) ensureReserve(dataDir);
    manager.startSchedule();
    return manager;
  }

  /** The active store, for callers outside the product operations (generate, benchmarks). */
  get store(): CatalogStore {
    return this.current;
  }

  get activeRecord(): StoreRecord {
    return this.record;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<E extends ManagerEventName>(name: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  // ---- calls ----

  /**
   * Runs a read on the active store; `kind` names the query for the latency statistics. A
   * `background` read (the planner's) is not a user's call: it does not put off an automatic
   * move waiting for a quiet moment, so a window that polls the plan cannot hold one back.
   */
  async read<T>(kind: QueryKind | null, fn: (store: CatalogReader) => Promise<T>, background = false): Promise<T> {
    await this.whileSwitching();
    this.readsInFlight += 1;
    const started = performance.now();
    try {
      const result = await fn(this.current);
      if (kind) this.latencies[kind].add(performance.now() - started);
      return result;
    } finally {
      this.readsInFlight -= 1;
      this.settle(background);
    }
  }

  /**
   * Runs a write on the active store, refused while the catalog moves. `addedSegments` reads
   * the result's size: a large import refreshes the growth sample and runs the planner.
   */
  async write<T>(what: string, fn: (store: CatalogStore) => Promise<T>, addedSegments?: (result: T) => number): Promise<T> {
    await this.whileSwitching();
    this.refuseWhileReadOnly(what);
    this.refuseDuringMove(what);
    this.refuseWhileDamaged(what);
    return this.writeNow(what, fn, addedSegments);
  }

  private async writeNow<T>(what: string, fn: (store: CatalogStore) => Promise<T>, addedSegments?: (result: T) => number): Promise<T> {
    this.writesInFlight += 1;
    try {
      if (this.interruptedMove) {
        // The copy of a stopped move no longer matches the source once it changes; resuming
        // it would only fail verification. It is removed, and a later move starts afresh.
        await discardInterruptedMove(this.dataDir);
        this.interruptedMove = false;
      }
      if (!this.changedSinceSwitch) {
        // Recorded before the write lands, so a crash right after it cannot leave a rollback
        // that silently drops the write.
        ControlDb.using(this.dataDir, (c) => c.markChanged());
        this.changedSinceSwitch = true;
      }
      const result = await fn(this.current);
      const added = addedSegments ? addedSegments(result) : 0;
      if (added >= this.options.largeImportSegments) {
        await this.sample(true);
        void this.planAndAct().catch(() => undefined);
      } else {
        await this.sample(false);
      }
      this.emit('catalog/changed', { what });
      return result;
    } finally {
      this.writesInFlight -= 1;
      this.settle();
    }
  }

  private refuseDuringMove(what: string): void {
    if (!this.move) return;
    const p = this.move.progress;
    const share = p.totalRows > 0 ? ` (${Math.floor((Math.min(p.rows, p.totalRows) / p.totalRows) * 100)}% copied${p.etaMs ? `, about ${formatDuration(p.etaMs)} left` : ''})` : '';
    throw new StrataError(
      'busy',
      `The catalog is moving to ${describeTarget(p.to)}${share}. Changes such as "${what}" are refused until the move ends, because the copy would not contain them; reading works as usual. Try again when it is done, or cancel the move.`,
      { moving: true, to: p.to.engine },
    );
  }

  /**
   * A store whose last check failed takes no writes: a write onto damaged pages or wrong
   * counters spreads the damage, and an import that "succeeds" there may not be readable.
   */
  private refuseWhileDamaged(what: string): void {
    const failed = this.failedCheck;
    if (!failed) return;
    const listed = failed.problems.slice(0, 3).join('; ');
    throw new StrataError(
      'db-corrupt',
      `The last check of the catalog (${new Date(failed.checkedAt).toISOString()}) found problems: ${listed}${failed.problems.length > 3 ? ` and ${failed.problems.length - 3} more` : ''}. Changes such as "${what}" are refused until a check passes: run strata check --repair (Repair in the health panel), or restore a backup. Reading works as usual.`,
      { problems: failed.problems, checkedAt: failed.checkedAt },
    );
  }

  private recordCheck(report: IntegrityReport): void {
    const record = { ok: report.ok, problems: report.problems };
    // A read-only folder's check is reported, not recorded (nothing can be written there, and
    // no write it could fence can happen either).
    if (!this.readOnly) ControlDb.using(this.dataDir, (c) => c.recordCheck(this.record.id, record));
    this.failedCheck = report.ok ? null : { ...record, checkedAt: Date.now() };
  }

  /** Checks the active store and records the result in control.db: a failed check stops writes until one passes. */
  async check(): Promise<IntegrityReport> {
    const report = await this.read(null, (store) => store.checkIntegrity());
    this.recordCheck(report);
    return report;
  }

  /**
   * Repairs what the rows can settle (orphan segments, counters, the full-text index), then
   * checks again and records that check: writes resume when it passes. Allowed on a store
   * whose last check failed (that is what it is for), never during a move.
   */
  async repair(): Promise<{ repair: RepairReport; check: IntegrityReport }> {
    await this.whileSwitching();
    this.refuseWhileReadOnly('repair the catalog');
    this.refuseDuringMove('repair the catalog');
    return this.writeNow('repair the catalog', async (store) => {
      if (!store.repair) {
        throw new StrataError('invalid-argument', `The ${store.capabilities.engine} store cannot repair itself in this version of Strata; restore a backup instead.`);
      }
      const repair = await store.repair();
      const check = await store.checkIntegrity();
      this.recordCheck(check);
      return { repair, check };
    });
  }

  private async whileSwitching(): Promise<void> {
    while (this.switching) await this.switching;
    if (this.closed) throw new StrataError('internal', 'The database is closing.');
  }

  private settle(background = false): void {
    if (!background) this.lastActivity = Date.now();
    if (this.readsInFlight === 0 && this.writesInFlight === 0) {
      for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private waitFor(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (condition()) resolve();
        else this.idleWaiters.push(check);
      };
      this.idleWaiters.push(check);
    });
  }

  // ---- statistics and planning ----

  private async refreshLive(): Promise<void> {
    const stats = await this.current.stats();
    this.live = { segments: stats.segments, files: stats.files, dbBytes: stats.dbBytes, sampledAt: Date.now() };
  }

  /**
   * Records a size sample when one is due (or forced). Between samples a write only marks the
   * live counts stale, and `status` reads them again when asked: an ordinary write does not
   * pay for a stats query.
   */
  private async sample(force: boolean): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastSampleAt < this.options.sampleEveryMs) {
      this.live.sampledAt = 0;
      return;
    }
    await this.refreshLive();
    this.lastSampleAt = now;
    const { segments, files, dbBytes } = this.live;
    if (this.readOnly) return;
    ControlDb.using(this.dataDir, (c) => c.addSizeSample({ at: now, segments, files, dbBytes }, SAMPLES_KEPT_MS));
  }

  liveStats(): LiveStats {
    const samples = this.control((c) => c.sizeSamples(Date.now() - GROWTH_WINDOW_MS), []);
    return {
      ...this.live,
      segmentsAddedPerDay: segmentsPerDay(samples),
      latencies: Object.fromEntries(QUERY_KINDS.map((k) => [k, this.latencies[k].summary()])) as LiveStats['latencies'],
    };
  }

  /** Runs the planner on what was measured; `act` lets the policy start or queue a move. */
  async plan(): Promise<{ input: PlannerInput; recommendation: Recommendation }> {
    const live = this.liveStats();
    const input = await this.read(null, (store) =>
      gatherPlannerInput(store, this.dataDir, {
        segmentsAddedPerDay: live.segmentsAddedPerDay,
        segmentLookupP99Ms: live.latencies.segments.count >= 100 ? live.latencies.segments.p99Ms : null,
        needsSharedAccess: this.settings.sharedAccess,
      }),
      true,
    );
    const recommendation = this.options.planner(input);
    this.recommendation = recommendation;
    this.plannedAt = Date.now();
    // Whoever asked (the schedule, a large import, a window showing the plan), the policy
    // applies to what the planner said: a move the settings allow waits for a quiet moment.
    this.queueIfAllowed(recommendation);
    return { input, recommendation };
  }

  private queueIfAllowed(recommendation: Recommendation): void {
    // A move the user paused (or one that stopped) waits for the user to resume or discard
    // it: the next plan must not start it again behind their back.
    if (!this.options.autoMoves || this.move || this.interruptedMove || !recommendation.target) return;
    if (decideMove(recommendation, this.settings) !== 'run') return;
    const { engine, shards } = recommendation.target;
    if ((MIGRATION_TARGETS as readonly string[]).includes(engine)) {
      this.pendingAutoMove = { to: engine, ...(shards ? { shards } : {}) };
    }
  }

  private async planAndAct(): Promise<void> {
    if (this.closed || this.move) return;
    const { recommendation } = await this.plan();
    if (recommendation.action !== 'stay') this.emit('manager/recommendation', recommendation);
  }

  private startSchedule(): void {
    const every = (ms: number, fn: () => void): void => {
      const timer = setInterval(fn, ms);
      timer.unref();
      this.timers.push(timer);
    };
    if (this.options.planEveryMs > 0) {
      every(this.options.planEveryMs, () => void this.planAndAct().catch(() => undefined));
      const first = setTimeout(() => void this.planAndAct().catch(() => undefined), Math.min(this.options.firstPlanMs, this.options.planEveryMs));
      first.unref();
      this.timers.push(first);
    }
    every(Math.max(50, Math.min(this.options.quietMs, 5_000)), () => this.startAutoMoveIfQuiet());
  }

  private startAutoMoveIfQuiet(): void {
    const request = this.pendingAutoMove;
    if (!request || this.move || this.switching || this.closed) return;
    if (this.readsInFlight + this.writesInFlight > 0 || Date.now() - this.lastActivity < this.options.quietMs) return;
    this.pendingAutoMove = null;
    this.startMove(request, true).done.catch(() => undefined);
  }

  // ---- moves ----

  /** Starts a move; the returned promise settles when it has switched, failed or been cancelled. */
  migrate(request: MoveRequest, onProgress?: (p: MoveProgress) => void): Promise<MoveResult> {
    // Subscribed before the start, so the first (preflight) event reaches the caller too.
    const off = onProgress
      ? this.onEvent((name, payload) => {
          if (name === 'migration/progress') onProgress(payload as MoveProgress);
        })
      : () => undefined;
    try {
      return this.startMove(request, false).done.finally(off);
    } catch (error) {
      off();
      throw error;
    }
  }

  /** What a move would take and whether it can start now (the wizard asks before it starts one). */
  async preflight(request: MoveRequest): Promise<MovePreflight> {
    const input = await this.read(null, (store) => gatherPlannerInput(store, this.dataDir, { needsSharedAccess: this.settings.sharedAccess }));
    const preflight = preflightMove(input, request, { moving: this.move !== null, activeServer: serverOf(this.record) });
    // Elevation and the data folder's path (Windows) are known before the server is ever started.
    if (preflight.server === 'portable' && preflight.refusal === null && input.portableServerAvailable) {
      // Loaded here: the server's code (and its PostgreSQL client) is not on every call's path.
      const { portableServerRefusal } = await import('../portable-server/portable-server');
      const refusal = await portableServerRefusal({ dataDir: this.dataDir });
      if (refusal) return { ...preflight, refusal: refusal.message };
    }
    return preflight;
  }

  /** Remembers a backup that succeeded, for the dashboard's health (kept beside the settings in control.db). */
  recordBackup(backup: LastBackup): void {
    // A backup of a read-only folder (written elsewhere) is a read; there is nowhere to note it.
    if (this.readOnly) return;
    ControlDb.using(this.dataDir, (c) => c.saveSettings({ [LAST_BACKUP_KEY]: backup }));
  }

  cancelMove(): boolean {
    if (!this.move) return false;
    this.move.abort.abort();
    return true;
  }

  private startMove(request: MoveRequest, automatic: boolean): RunningMove {
    if (this.closed) throw new StrataError('internal', 'The database is closing.');
    this.refuseWhileReadOnly(`move the catalog to ${request.to}`);
    if (this.move) throw new StrataError('busy', `The catalog is already moving to ${describeTarget(this.move.progress.to)}; wait for it to end or cancel it.`);
    // A store that can re-shard itself, moved to its own engine, changes its shard count in place instead of copying.
    const inPlace = request.to === this.current.capabilities.engine && this.current.reshard !== undefined;
    const from = this.storeRef();
    const abort = new AbortController();
    const progress: MoveProgress = {
      kind: inPlace ? 'reshard' : 'migrate',
      from,
      to: { engine: request.to, ...(request.shards ? { shards: request.shards } : {}) },
      automatic,
      phase: 'preflight',
      table: null,
      rows: 0,
      totalRows: 0,
      bytes: 0,
      rowsPerSecond: 0,
      etaMs: null,
      elapsedMs: 0,
    };
    const move: RunningMove = { abort, progress, done: Promise.resolve(null as unknown as MoveResult) };
    this.move = move;
    // Whatever was queued was decided on the catalog as it was before this move.
    this.pendingAutoMove = null;
    this.emit('migration/progress', { ...progress });
    move.done = (async () => {
      try {
        // Writes that started before the move are let finish, so the copy contains them.
        await this.waitFor(() => this.writesInFlight === 0);
        // The move yields the cores to the window whenever the user works in it (see background-priority.ts).
        const result = await atBackgroundPriority(() => (inPlace ? this.reshardInPlace(request, move) : this.migrateToNewStore(request, move)));
        this.interruptedMove = false;
        this.emit('migration/ended', { ok: true, kind: result.kind, to: result.to, rows: result.rows, elapsedMs: result.elapsedMs, automatic, error: null });
        return result;
      } catch (error) {
        this.interruptedMove = ControlDb.using(this.dataDir, (c) => new MoveJournal(c).runningJob() !== null);
        this.emit('migration/ended', { ok: false, kind: progress.kind, to: null, rows: progress.rows, elapsedMs: progress.elapsedMs, automatic, error: serializeError(error) });
        throw error;
      } finally {
        this.move = null;
      }
    })();
    return move;
  }

  private report(move: RunningMove, patch: Partial<MoveProgress>): void {
    Object.assign(move.progress, patch);
    this.emit('migration/progress', { ...move.progress });
  }

  private async migrateToNewStore(request: MoveRequest, move: RunningMove): Promise<MoveResult> {
    const result = await migrateDataFolder(this.dataDir, {
      to: request.to,
      ...(request.shards ? { shards: request.shards } : {}),
      ...(request.url ? { url: request.url } : {}),
      source: this.current,
      signal: move.abort.signal,
      // The copy's progress is the move's; its 'done' (verified) is the move's switch.
      onProgress: (p) => this.report(move, { ...p, phase: p.phase === 'done' ? 'switch' : p.phase }),
    });
    // The pointer names the copy now; the manager follows it.
    await this.switchToActive('migrated');
    this.report(move, { phase: 'done', etaMs: 0 });
    return {
      kind: 'migrate',
      from: move.progress.from,
      to: this.storeRef(),
      rows: result.rows,
      resumed: result.resumed,
      verified: result.verification.every((v) => v.ok),
      elapsedMs: result.elapsedMs,
      tables: result.verification.map((v) => ({ table: v.table, rows: v.targetRows, digest: v.targetDigest })),
    };
  }

  private async reshardInPlace(request: MoveRequest, move: RunningMove): Promise<MoveResult> {
    const store = this.current;
    const shards = engineOf(store.capabilities.engine).shards;
    if (!store.reshard || !shards) throw new StrataError('internal', `The ${store.capabilities.engine} store cannot re-shard itself.`);
    const result = await store.reshard(request.shards ?? store.shardCount ?? shards.default, {
      signal: move.abort.signal,
      onProgress: (p) => this.report(move, p),
    });
    this.emit('manager/store-changed', { store: this.storeRef(), reason: 'resharded' });
    return { kind: 'reshard', from: move.progress.from, to: this.storeRef(), rows: result.movedRows, resumed: false, verified: result.verified, elapsedMs: result.elapsedMs, tables: [] };
  }

  /**
   * Opens the store the pointer names and retires the open one, once the reads running on it
   * have ended; calls arriving meanwhile wait and then go to the new store.
   */
  private async switchToActive(reason: 'migrated' | 'rolled-back' | 'restored'): Promise<void> {
    let release!: () => void;
    this.switching = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      await this.waitFor(() => this.readsInFlight === 0 && this.writesInFlight === 0);
      const record = activeStoreRecord(this.dataDir);
      const next = await openStoreRecord(this.dataDir, record, this.options.open);
      const old = this.current;
      this.current = next;
      this.record = record;
      this.changedSinceSwitch = false;
      const lastCheck = ControlDb.using(this.dataDir, (c) => c.lastCheck(record.id));
      this.failedCheck = lastCheck && !lastCheck.ok ? lastCheck : null;
      await old.close().catch(() => undefined);
      await this.sample(true);
    } finally {
      this.switching = null;
      release();
    }
    this.recommendation = null;
    this.emit('manager/store-changed', { store: this.storeRef(), reason });
  }

  /** Goes back to the store that was active before the last switch. */
  async rollback(options: { force?: boolean } = {}): Promise<StoreRef> {
    this.refuseWhileReadOnly('go back to the previous store');
    if (this.move) throw new StrataError('busy', 'A move is running; cancel it or wait for it before going back.');
    rollbackDataFolder(this.dataDir, options);
    await this.switchToActive('rolled-back');
    return this.storeRef();
  }

  /** A backup of the active store, refused when its destination is one of the data folder's own files. */
  backup(destination: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
    if (this.readOnly && isInside(this.dataDir, destination)) throw readOnlyRefusal(this.dataDir, this.readOnly, `back up into ${destination}`);
    refuseBackupIntoStores(this.dataDir, destination);
    return this.read(null, (s) => s.backup(destination, onProgress ? { onProgress } : {}));
  }

  /**
   * Restores a backup into a new store beside the active one, verifies it against what the
   * backup recorded, and switches to it (the store it replaces becomes the previous one).
   * Refused during a move, like any write.
   */
  async restore(backup: string): Promise<RestoreResult> {
    this.refuseWhileReadOnly('restore a backup');
    this.refuseDuringMove('restore a backup');
    const result = await restoreDataFolder(this.dataDir, backup);
    this.interruptedMove = false;
    await this.switchToActive('restored');
    return result;
  }

  /** Removes the partial copy of a paused or interrupted move. */
  async discardInterrupted(): Promise<StoreRef | null> {
    this.refuseWhileReadOnly('discard the copy of a stopped move');
    if (this.move) throw new StrataError('busy', 'A move is running; cancel it first, then discard its copy.');
    this.pendingAutoMove = null;
    // Removing the copy frees far more than the reserve; the reserve lets the note of it be written first.
    releaseReserve(this.dataDir);
    const target = await discardInterruptedMove(this.dataDir);
    ensureReserve(this.dataDir);
    this.interruptedMove = false;
    return target ? refOf(target) : null;
  }

  /** Deletes the previous store's data once the user no longer wants to go back. */
  async removePrevious(): Promise<StoreRef> {
    this.refuseWhileReadOnly('remove the previous store');
    if (this.move) throw new StrataError('busy', 'A move is running; remove the previous store after it ends.');
    return refOf(await removePreviousStore(this.dataDir));
  }

  // ---- settings and status ----

  updateSettings(patch: Partial<ManagerSettings>): ManagerSettings {
    this.refuseWhileReadOnly('change the settings');
    this.settings = { ...this.settings, ...patch };
    ControlDb.using(this.dataDir, (c) => c.saveSettings({ ...this.settings }));
    // A policy that no longer allows a queued automatic move cancels it; one that now allows
    // the standing recommendation queues it, as the user who just chose "automatic" expects.
    if (this.pendingAutoMove && this.recommendation && decideMove(this.recommendation, this.settings) !== 'run') this.pendingAutoMove = null;
    else if (!this.pendingAutoMove && this.recommendation) this.queueIfAllowed(this.recommendation);
    return { ...this.settings };
  }

  storeRef(): StoreRef {
    return refOf(this.record);
  }

  async status(): Promise<ManagerStatus> {
    if (Date.now() - this.live.sampledAt > 5_000 && !this.switching) await this.refreshLive().catch(() => undefined);
    const { previous, job, lastBackup } = this.control(
      (c) => {
        const running = new MoveJournal(c).runningJob();
        const backup = lastBackupSchema.safeParse(c.settings()[LAST_BACKUP_KEY]);
        return { previous: c.storeWithRole('previous'), job: running ? { ...running, target: c.store(running.targetId) } : null, lastBackup: backup.success ? backup.data : null };
      },
      { previous: null, job: null, lastBackup: null },
    );
    return {
      store: this.storeRef(),
      readOnly: this.readOnly ? { ...this.readOnly } : null,
      previous: previous ? refOf(previous) : null,
      previousBytes: previous ? storeDiskBytes(this.dataDir, previous) : null,
      lastBackup,
      rollbackSafe: previous !== null && !this.changedSinceSwitch,
      activity: this.switching ? 'switching' : this.move ? 'moving' : 'idle',
      move: this.move ? { ...this.move.progress } : null,
      interrupted: job && !this.move ? { to: refOf(job.target), paused: job.paused, reason: job.error } : null,
      settings: { ...this.settings },
      live: this.liveStats(),
      recommendation: this.recommendation,
      plannedAt: this.plannedAt,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.move) {
      this.move.abort.abort();
      await this.move.done.catch(() => undefined);
    }
    await this.waitFor(() => this.readsInFlight === 0 && this.writesInFlight === 0);
    await this.current.close();
  }
}


function isInside(dir: string, file: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function refOf(record: StoreRecord): StoreRef {
  return { engine: record.engine, location: record.location, server: serverOf(record) };
}

function describeTarget(to: { engine: string; shards?: number }): string {
  return to.shards ? `${to.engine} (${to.shards} shards)` : to.engine;
}

function formatDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s >= 60 ? `${Math.round(s / 60)} min` : `${s} s`;
}
