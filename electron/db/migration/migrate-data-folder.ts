/**
 * Moves a data folder's catalog to another engine: the copy goes to a new location beside
 * the active store, is verified, and only then does the pointer switch, in one transaction.
 * The source is only read (by this process) and kept as the previous store for rollback.
 * Run again after a kill, it resumes the interrupted copy from its checkpoints; a move paused
 * by the user or by a full disk resumes the same way, or is discarded on request.
 */
import type { EngineName } from '../../../shared/domain';
import { StrataError, invalidArgument } from '../../../shared/errors';
import { MIGRATION_TARGETS, type MigrationTarget, type ServerKind } from '../../../shared/manager';
import { copyStore, type MigrationProgress, type TableVerification } from './copy-store';
import { engineOf } from '../engines/registry';
import { openStoreRecord } from '../open-store';
import { MIGRATION_SOURCE_OPTIONS } from './source-options';
import { TABLES, type CatalogStore } from '../store';
import { freeDiskBytes } from '../free-disk';
import { causeText, isDiskFullError } from '../error-cause';
import { estimatedCopyRows } from './copy-store';
import { neededForCopy, spaceGuard } from './target-space';
import { formatBytes } from '../../../shared/format';
import { crashPoint } from '../faults/crash-point';
import { ControlDb, type StoreRecord } from '../manager/control-db';
import { newTargetRecord, removeStoreData, serverOf, storeDataExists } from '../manager/store-records';
import { readConnectionString } from '../manager/store-secrets';
import { MoveJournal, type JobRecord } from './move-journal';


export interface MigrateOptions {
  to: MigrationTarget;
  shards?: number;
  /** An existing PostgreSQL server (postgres only); without it, the portable server. */
  url?: string;
  signal?: AbortSignal;
  onProgress?: (p: MigrationProgress) => void;
  /** The active store, already open in this process (the manager's); it stays open. */
  source?: CatalogStore;
}

export interface MigrateResult {
  from: { engine: EngineName; location: string };
  to: { engine: EngineName; location: string };
  resumed: boolean;
  rows: number;
  elapsedMs: number;
  verification: TableVerification[];
}

const codeOf = (error: unknown): string | undefined => (error instanceof StrataError ? error.code : undefined);

function sameTier(record: StoreRecord, to: MigrationTarget, server: ServerKind | null): boolean {
  return record.engine === to && serverOf(record) === server;
}

/** A resumed move to an existing server names the server it started on; the portable server and files have no URL. */
function sameServer(dataDir: string, target: StoreRecord, url: string | undefined): boolean {
  if (serverOf(target) !== 'existing') return url === undefined;
  if (url === undefined || typeof target.options.urlFile !== 'string') return false;
  try {
    return readConnectionString(dataDir, target.options.urlFile) === url.trim();
  } catch {
    return false;
  }
}

/** Finds the move to resume, or starts one; an interrupted move to another place is discarded. */
async function jobFor(dataDir: string, control: ControlDb, active: StoreRecord, options: MigrateOptions): Promise<{ job: JobRecord; target: StoreRecord; fresh: boolean }> {
  const server: ServerKind | null = engineOf(options.to).targetServer(options.url);
  const moves = new MoveJournal(control);
  const running = moves.runningJob();
  if (running) {
    const target = control.store(running.targetId);
    // A new connection string means a new target, even on the same kind of server; the same
    // one (the user running the interrupted command again) resumes it.
    if (running.sourceId === active.id && sameTier(target, options.to, server) && sameServer(dataDir, target, options.url)) {
      moves.setPaused(running.id, false, null);
      return { job: running, target, fresh: false };
    }
    moves.endJob(running.id, 'cancelled', `replaced by a move to ${options.to}`);
    await removeStoreData(dataDir, target);
    control.retire(target.id);
  }
  // A sharded store may be copied to its own engine (another shard count); any other engine is the same tier.
  if (sameTier(active, options.to, server) && engineOf(options.to).shards === null) {
    throw invalidArgument(`The catalog is already on ${options.to}${server ? ` (${server} server)` : ''}.`);
  }
  const target = newTargetRecord(dataDir, control, options);
  return { job: moves.startJob(active.id, target.id), target, fresh: true };
}

export async function migrateDataFolder(dataDir: string, options: MigrateOptions): Promise<MigrateResult> {
  if (!(MIGRATION_TARGETS as readonly string[]).includes(options.to)) {
    throw invalidArgument(`A data folder can move to ${MIGRATION_TARGETS.join(' or ')} in this version; got ${JSON.stringify(options.to)}.`);
  }
  if (options.url !== undefined && engineOf(options.to).targetServer(options.url) === null) throw invalidArgument('--url names a PostgreSQL server; it goes with --to postgres.');
  const control = ControlDb.open(dataDir);
  const moves = new MoveJournal(control);
  let source: CatalogStore | null = options.source ?? null;
  let target: CatalogStore | null = null;
  let job: JobRecord | null = null;
  let targetRecord: StoreRecord | null = null;
  try {
    const active = control.activeStore();
    if (!active) throw new StrataError('not-found', `The data folder ${dataDir} has no catalog yet; there is nothing to move.`);
    let fresh: boolean;
    ({ job, target: targetRecord, fresh } = await jobFor(dataDir, control, active, options));
    source ??= await openStoreRecord(dataDir, active, MIGRATION_SOURCE_OPTIONS);
    const sourceStats = await source.stats();
    const journal = moves.checkpoints(job.id);
    // A server elsewhere keeps its data on its own disk; file-backed targets need room here.
    const local = serverOf(targetRecord) !== 'existing';
    if (local) {
      // From bytes per row measured for the target engine: PGlite takes 3.3x SQLite's per row.
      // A resumed copy needs room only for the rows it has not copied yet.
      const rows = Math.max(0, estimatedCopyRows(sourceStats) - TABLES.reduce((n, t) => n + journal.checkpoint(t).rows, 0));
      const needed = neededForCopy(targetRecord.engine, rows);
      const available = freeDiskBytes(dataDir);
      if (needed > available) {
        throw new StrataError(
          'disk-full',
          `Moving the catalog to ${targetRecord.engine} needs about ${formatBytes(needed)} free beside it and the disk has ${formatBytes(available)}. Free some space and try again; nothing was changed.`,
          { neededBytes: needed, availableBytes: available },
        );
      }
    }
    target = await openStoreRecord(dataDir, targetRecord);
    // Only a new job's target must be empty: a resumed one holds what earlier runs copied.
    if (fresh) await refuseNonEmpty(target, targetRecord);
    const result = await copyStore(source, target, {
      journal,
      ...(local ? { beforeLoad: spaceGuard(dataDir, targetRecord.engine) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await target.close();
    target = null;
    moves.switchTo(job);
    crashPoint('switched');
    return {
      from: { engine: active.engine, location: active.location },
      to: { engine: targetRecord.engine, location: targetRecord.location },
      resumed: journal.resumed,
      rows: result.rows,
      elapsedMs: result.elapsedMs,
      verification: result.verification,
    };
  } catch (caught) {
    const error = diskFullAsSuch(caught, dataDir);
    await target?.close().catch(() => undefined);
    target = null;
    // On a full disk even the control database may refuse the note; the job then stays
    // running and resumes (or meets the preflight) at the next start.
    if (job && targetRecord && moves.runningJob()?.id === job.id) await settleFailedJob(dataDir, control, job, targetRecord, error).catch(() => undefined);
    throw error;
  } finally {
    await target?.close().catch(() => undefined);
    if (!options.source) await source?.close().catch(() => undefined);
    control.close();
  }
}

/** A full disk met anywhere in the copy (a store, a shard writer, the journal) is reported as one, with what to do. */
function diskFullAsSuch(error: unknown, dataDir: string): unknown {
  if (error instanceof StrataError && error.code === 'disk-full') return error;
  if (!isDiskFullError(error)) return error;
  return new StrataError(
    'disk-full',
    `The disk holding ${dataDir} filled up while the catalog was being copied. The move is paused and the current store is unchanged. Free some space and run the move again to resume it, or discard the partial copy (strata migrate --discard).`,
    { cause: causeText(error) },
  );
}

/**
 * What a stopped move leaves: a cancel or a full disk pauses it (its copy and checkpoints stay,
 * to resume when asked or be discarded); a copy that failed verification or a target that
 * refused is removed. A killed process never gets here: its job stays running and resumes.
 */
async function settleFailedJob(dataDir: string, control: ControlDb, job: JobRecord, target: StoreRecord, error: unknown): Promise<void> {
  const code = codeOf(error);
  const moves = new MoveJournal(control);
  if (code === 'cancelled' || code === 'disk-full') {
    moves.setPaused(job.id, true, (error as Error).message);
    return;
  }
  moves.endJob(job.id, 'failed', (error as Error).message);
  // A non-empty database the user pointed at is theirs: never dropped.
  if (code !== 'conflict') await removeStoreData(dataDir, target).catch(() => undefined);
  control.retire(target.id);
}

/** A target on a server the user named must not already hold a catalog: a move never merges. */
async function refuseNonEmpty(target: CatalogStore, record: StoreRecord): Promise<void> {
  const stats = await target.stats();
  if (stats.files > 0 || stats.collections > 0) {
    throw new StrataError(
      'conflict',
      `${record.location} already holds a Strata catalog (${stats.collections} collections, ${stats.files} files). Name an empty database; nothing was changed there.`,
      { location: record.location },
    );
  }
}

/** Removes the partial copy of a paused or interrupted move, on the user's request. */
export function discardInterruptedMove(dataDir: string): Promise<StoreRecord | null> {
  return ControlDb.using(dataDir, async (control) => {
    const moves = new MoveJournal(control);
    const job = moves.runningJob();
    if (!job) return null;
    const target = control.store(job.targetId);
    await removeStoreData(dataDir, target);
    moves.endJob(job.id, 'cancelled', 'discarded by the user');
    control.retire(target.id);
    return target;
  });
}

/** Points the data folder back at the store that was active before the last switch. */
export function rollbackDataFolder(dataDir: string, options: { force?: boolean } = {}): StoreRecord {
  return ControlDb.using(dataDir, (control) => {
    const previous = control.storeWithRole('previous');
    if (!previous || !storeDataExists(dataDir, previous)) {
      throw new StrataError('not-found', 'There is no previous store to go back to: no migration has switched this data folder, or its source was removed.');
    }
    if (control.changedSinceSwitch() && !options.force) {
      throw new StrataError(
        'conflict',
        `The catalog changed after it moved from ${previous.engine} (imports or edits), and the previous store does not have those changes: going back would lose them. Move it instead (strata migrate --to ${previous.engine}), or roll back anyway with --force.`,
        { previous: previous.engine },
      );
    }
    return control.rollback();
  });
}

/** Removes the previous store's data (after a move the user is happy with); the records stay as history. */
export function removePreviousStore(dataDir: string): Promise<StoreRecord> {
  return ControlDb.using(dataDir, async (control) => {
    const previous = control.storeWithRole('previous');
    if (!previous) throw new StrataError('not-found', 'There is no previous store to remove.');
    await removeStoreData(dataDir, previous);
    control.retire(previous.id);
    return previous;
  });
}
