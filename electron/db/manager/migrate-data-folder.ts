/**
 * Moves a data folder's catalog to another engine: the copy goes to a new location beside
 * the active store, is verified, and only then does the pointer switch, in one transaction.
 * The source is opened for reading only by this process and kept (as the previous store) for
 * rollback. Run again after a kill, it resumes the interrupted copy from its checkpoints.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineName } from '../../../shared/domain';
import { StrataError, invalidArgument } from '../../../shared/errors';
import { copyStore, type MigrationProgress, type TableVerification } from '../migration/copy-store';
import { openStoreRecord } from '../open-store';
import { MIGRATION_SOURCE_OPTIONS } from '../migration/source-options';
import type { CatalogStore } from '../store';
import { freeDiskBytes } from '../free-disk';
import { THRESHOLDS } from '../planner/thresholds';
import { ControlDb, type StoreRecord } from './control-db';

/** Engines a data folder can move to in this version. */
export const MIGRATION_TARGETS = ['sqlite', 'sharded', 'pglite', 'postgres'] as const satisfies readonly EngineName[];
export type MigrationTarget = (typeof MIGRATION_TARGETS)[number];

export interface MigrateOptions {
  to: MigrationTarget;
  shards?: number;
  signal?: AbortSignal;
  onProgress?: (p: MigrationProgress) => void;
}

export interface MigrateResult {
  from: { engine: EngineName; location: string };
  to: { engine: EngineName; location: string };
  resumed: boolean;
  rows: number;
  elapsedMs: number;
  verification: TableVerification[];
}


/**
 * A new, empty place for the copy. File-backed engines get a folder under stores/; the
 * portable server (postgres) gets a database of its own on the server in <data>/postgres.
 */
function newTarget(control: ControlDb, options: MigrateOptions): StoreRecord {
  const tag = Date.now().toString(36);
  switch (options.to) {
    case 'sqlite':
      return control.addTarget('sqlite', path.join('stores', `sqlite-${tag}`, 'strata.db'), {});
    case 'sharded':
      return control.addTarget('sharded', path.join('stores', `sharded-${tag}`), { shards: options.shards ?? 4 });
    case 'pglite':
      return control.addTarget('pglite', path.join('stores', `pglite-${tag}`), {});
    case 'postgres':
      return control.addTarget('postgres', `postgres#strata_${tag}`, { server: 'portable', database: `strata_${tag}` });
  }
}

export async function migrateDataFolder(dataDir: string, options: MigrateOptions): Promise<MigrateResult> {
  if (!(MIGRATION_TARGETS as readonly string[]).includes(options.to)) {
    throw invalidArgument(`A data folder can move to ${MIGRATION_TARGETS.join(' or ')} in this version; got ${JSON.stringify(options.to)}.`);
  }
  const control = ControlDb.open(dataDir);
  let source: CatalogStore | null = null;
  let target: CatalogStore | null = null;
  try {
    const active = control.activeStore();
    if (!active) throw new StrataError('not-found', `The data folder ${dataDir} has no catalog yet; there is nothing to move.`);
    let job = control.runningJob();
    let targetRecord: StoreRecord | null = job ? control.store(job.targetId) : null;
    if (job && (job.sourceId !== active.id || targetRecord?.engine !== options.to)) {
      // An interrupted move to another engine: its partial copy is discarded.
      control.endJob(job.id, 'cancelled', `replaced by a move to ${options.to}`);
      if (targetRecord) removeTarget(dataDir, targetRecord);
      job = null;
      targetRecord = null;
    }
    if (!job || !targetRecord) {
      if (active.engine === options.to && options.to !== 'sharded') {
        throw invalidArgument(`The catalog is already on ${options.to}.`);
      }
      targetRecord = newTarget(control, options);
      job = control.startJob(active.id, targetRecord.id);
    }
    source = await openStoreRecord(dataDir, active, MIGRATION_SOURCE_OPTIONS);
    const sourceStats = await source.stats();
    // The source's size again plus a quarter for indexes built at the end (the planner's estimate too).
    const needed = sourceStats.dbBytes * THRESHOLDS.spaceFactor;
    const available = freeDiskBytes(dataDir);
    if (needed > available) {
      throw new StrataError(
        'disk-full',
        `Moving the catalog needs about ${Math.ceil(needed / 1e9)} GB free beside it and the disk has ${Math.floor(available / 1e9)} GB. Free some space and try again; nothing was changed.`,
        { neededBytes: needed, availableBytes: available },
      );
    }
    target = await openStoreRecord(dataDir, targetRecord);
    const journal = control.journal(job.id);
    const result = await copyStore(source, target, {
      journal,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await target.close();
    target = null;
    await source.close();
    source = null;
    control.switchTo(job);
    return {
      from: { engine: active.engine, location: active.location },
      to: { engine: targetRecord.engine, location: targetRecord.location },
      resumed: journal.resumed,
      rows: result.rows,
      elapsedMs: result.elapsedMs,
      verification: result.verification,
    };
  } catch (error) {
    const job = control.runningJob();
    // A cancel or a crash leaves the job to resume; a copy that failed verification is removed.
    if (job && (error as StrataError).code !== 'cancelled' && (error as StrataError).code !== 'disk-full') {
      await target?.close().catch(() => undefined);
      target = null;
      control.endJob(job.id, 'failed', (error as Error).message);
      removeTarget(dataDir, control.store(job.targetId));
    }
    throw error;
  } finally {
    await target?.close().catch(() => undefined);
    await source?.close().catch(() => undefined);
    control.close();
  }
}

/** Removes a partial copy. A database on the portable server is left for the user to drop (it is named in the journal). */
function removeTarget(dataDir: string, record: StoreRecord): void {
  if (record.engine === 'postgres') return;
  fs.rmSync(path.resolve(dataDir, record.location), { recursive: true, force: true });
}

/** Points the data folder back at the store that was active before the last switch. */
export function rollbackDataFolder(dataDir: string): StoreRecord {
  const control = ControlDb.open(dataDir);
  try {
    const previous = control.storeWithRole('previous');
    if (previous && previous.engine !== 'postgres' && !fs.existsSync(path.resolve(dataDir, previous.location))) {
      throw new StrataError('not-found', `The previous store (${previous.location}) is no longer in the data folder; there is nothing to go back to.`);
    }
    return control.rollback();
  } finally {
    control.close();
  }
}
