/**
 * The data folder's control database (`control.db`): which store is active (the one durable
 * pointer every start follows), the stores the folder holds, and the tables of the journal of
 * moves between them (its code is migration/move-journal.ts, which owns the move). Small and
 * separate from every store, so switching stores is one transaction here and never a rename of
 * large files.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EngineName } from '../../../shared/domain';
import { StrataError } from '../../../shared/errors';
import { applyPragmas, DEFAULT_TUNING, type SqliteDatabase } from '../engines/sqlite/open-database';
import { mapSqliteError } from '../engines/sqlite/sqlite-errors';
import { prepareUserOnlyDatabase } from '../file-modes';
import { openSqliteReadOnly } from '../read-only/read-only-sqlite';
import { sqliteOpenName } from '../win-paths';

export const CONTROL_FILE = 'control.db';
/** 2: jobs.paused (a move stopped by the user or a full disk resumes only on request), pointer.changed. */
const CONTROL_VERSION = 2;

const CONTROL_DDL = `
  CREATE TABLE IF NOT EXISTS stores (
    id         INTEGER PRIMARY KEY,
    engine     TEXT NOT NULL,
    -- Inside the data folder: relative, so a portable data folder can move.
    location   TEXT NOT NULL UNIQUE,
    options    TEXT NOT NULL DEFAULT '{}',
    -- active: the pointer names it. previous: the source of the last switch, kept read-only
    -- for rollback until the user removes it. target: being filled by a migration.
    role       TEXT NOT NULL CHECK (role IN ('active', 'previous', 'target', 'retired')),
    created_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS pointer (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    store_id    INTEGER NOT NULL REFERENCES stores (id),
    switched_at INTEGER NOT NULL,
    -- Set by the first write after a switch: going back would then lose that write.
    changed     INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS jobs (
    id         INTEGER PRIMARY KEY,
    source_id  INTEGER NOT NULL REFERENCES stores (id),
    target_id  INTEGER NOT NULL REFERENCES stores (id),
    state      TEXT NOT NULL CHECK (state IN ('running', 'switched', 'failed', 'cancelled')),
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    error      TEXT,
    paused     INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS job_tables (
    job_id     INTEGER NOT NULL REFERENCES jobs (id),
    table_name TEXT NOT NULL,
    last_key   TEXT,
    rows       INTEGER NOT NULL,
    done       INTEGER NOT NULL,
    PRIMARY KEY (job_id, table_name)
  ) WITHOUT ROWID;
  -- The user's choices for the database manager (one JSON value per key).
  CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  -- The last integrity check of each store: a store whose last check failed takes no writes
  -- until a check passes (a repair ends with one).
  CREATE TABLE IF NOT EXISTS checks (
    store_id   INTEGER PRIMARY KEY REFERENCES stores (id),
    checked_at INTEGER NOT NULL,
    ok         INTEGER NOT NULL,
    problems   TEXT NOT NULL
  );
  -- The catalog's size over time, sampled by the manager: growth for the planner.
  CREATE TABLE IF NOT EXISTS size_samples (
    at       INTEGER PRIMARY KEY,
    segments INTEGER NOT NULL,
    files    INTEGER NOT NULL,
    db_bytes INTEGER NOT NULL
  );
`;

export interface StoreRecord {
  id: number;
  engine: EngineName;
  location: string;
  options: Record<string, unknown>;
  role: 'active' | 'previous' | 'target' | 'retired';
}

export interface CheckRecord {
  checkedAt: number;
  ok: boolean;
  problems: string[];
}

export interface SizeSample {
  at: number;
  segments: number;
  files: number;
  dbBytes: number;
}

type StoreRow = { id: number; engine: EngineName; location: string; options: string; role: StoreRecord['role'] };
const toStore = (r: StoreRow): StoreRecord => ({ ...r, options: JSON.parse(r.options) as Record<string, unknown> });

export class ControlDb {
  private constructor(
    private readonly db: SqliteDatabase,
    readonly file: string,
  ) {}

  static open(dataDir: string): ControlDb {
    const file = path.join(dataDir, CONTROL_FILE);
    try {
      prepareUserOnlyDatabase(file);
      const db = new Database(sqliteOpenName(file));
      applyPragmas(db, { ...DEFAULT_TUNING, cacheMiB: 2, mmapMiB: 0 });
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > CONTROL_VERSION) {
        db.close();
        throw new StrataError('db-newer', `${file} was written by a newer version of Strata; update Strata to use this data folder. Nothing was changed.`, { file });
      }
      db.transaction(() => {
        // A version-1 file has a jobs table without the paused column; CREATE IF NOT EXISTS keeps it as it is.
        if (version === 1) {
          db.exec('ALTER TABLE jobs ADD COLUMN paused INTEGER NOT NULL DEFAULT 0');
          db.exec('ALTER TABLE pointer ADD COLUMN changed INTEGER NOT NULL DEFAULT 0');
        }
        db.exec(CONTROL_DDL);
        db.pragma(`user_version = ${CONTROL_VERSION}`);
      }).immediate();
      return new ControlDb(db, file);
    } catch (error) {
      throw mapSqliteError(error, file);
    }
  }

  /**
   * control.db of a folder that cannot be written, query-only; null when the folder has none
   * (a folder from before control.db: its store is adopted in memory, nothing recorded). A
   * file older than this version is refused, since bringing it up to date is a write.
   */
  static openReadOnly(dataDir: string): ControlDb | null {
    const file = path.join(dataDir, CONTROL_FILE);
    if (!fs.existsSync(file)) return null;
    let db: SqliteDatabase | undefined;
    try {
      db = openSqliteReadOnly(file);
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== CONTROL_VERSION) {
        throw version > CONTROL_VERSION
          ? new StrataError('db-newer', `${file} was written by a newer version of Strata; update Strata to use this data folder. Nothing was changed.`, { file })
          : new StrataError('read-only', `${file} was written by an older Strata and must be brought up to date, which is a write, but its folder is read-only. Open a copy of the data folder in a place you may write.`, { file });
      }
      return new ControlDb(db, file);
    } catch (error) {
      db?.close();
      throw mapSqliteError(error, file);
    }
  }

  /**
   * Opens the control database for one piece of work and closes it after, also when `fn`
   * returns a promise (closed once it settles). Short-lived on purpose: a migration in the
   * same process, or a CLI command beside the app, opens its own.
   */
  static using<T>(dataDir: string, fn: (control: ControlDb) => T): T {
    const control = ControlDb.open(dataDir);
    return ControlDb.closingAfter(control, fn);
  }

  /** `using` for a read-only folder: `fn` gets null when the folder has no control.db. */
  static usingReadOnly<T>(dataDir: string, fn: (control: ControlDb | null) => T): T {
    const control = ControlDb.openReadOnly(dataDir);
    if (!control) return fn(null);
    return ControlDb.closingAfter(control, fn);
  }

  private static closingAfter<T>(control: ControlDb, fn: (control: ControlDb) => T): T {
    let result: T;
    try {
      result = fn(control);
    } catch (error) {
      control.close();
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => control.close()) as T;
    control.close();
    return result;
  }

  close(): void {
    this.db.close();
  }

  /** The open database, for the move journal (migration/move-journal.ts), whose tables the schema above creates. */
  get connection(): SqliteDatabase {
    return this.db;
  }

  activeStore(): StoreRecord | null {
    const row = this.db.prepare('SELECT s.id, s.engine, s.location, s.options, s.role FROM pointer p JOIN stores s ON s.id = p.store_id').get() as StoreRow | undefined;
    return row ? toStore(row) : null;
  }

  store(id: number): StoreRecord {
    const row = this.db.prepare('SELECT id, engine, location, options, role FROM stores WHERE id = ?').get(id) as StoreRow | undefined;
    if (!row) throw new StrataError('not-found', `The control database names store ${id}, which it does not list.`);
    return toStore(row);
  }

  storeWithRole(role: StoreRecord['role']): StoreRecord | null {
    const row = this.db.prepare('SELECT id, engine, location, options, role FROM stores WHERE role = ? ORDER BY id DESC LIMIT 1').get(role) as StoreRow | undefined;
    return row ? toStore(row) : null;
  }

  /** Records the store a folder starts with and points at it. */
  adopt(engine: EngineName, location: string, options: Record<string, unknown> = {}): StoreRecord {
    return this.db
      .transaction(() => {
        const id = Number(
          this.db.prepare("INSERT INTO stores (engine, location, options, role, created_at) VALUES (?, ?, ?, 'active', ?)").run(engine, location, JSON.stringify(options), Date.now()).lastInsertRowid,
        );
        this.db.prepare('INSERT OR REPLACE INTO pointer (id, store_id, switched_at) VALUES (1, ?, ?)').run(id, Date.now());
        return this.store(id);
      })
      .immediate();
  }

  addTarget(engine: EngineName, location: string, options: Record<string, unknown>): StoreRecord {
    const id = Number(
      this.db.prepare("INSERT INTO stores (engine, location, options, role, created_at) VALUES (?, ?, ?, 'target', ?)").run(engine, location, JSON.stringify(options), Date.now()).lastInsertRowid,
    );
    return this.store(id);
  }

  /**
   * The switch after a restore, like a migration's: the restored store becomes active and the
   * one it replaces the previous store (an older previous one is retired). With no active
   * store (a lost control.db), the restored one simply becomes active.
   */
  switchToRestored(targetId: number): void {
    this.db
      .transaction(() => {
        const active = this.activeStore();
        if (active) {
          this.db.prepare("UPDATE stores SET role = 'retired' WHERE role = 'previous'").run();
          this.db.prepare("UPDATE stores SET role = 'previous' WHERE id = ?").run(active.id);
        }
        this.db.prepare("UPDATE stores SET role = 'active' WHERE id = ?").run(targetId);
        this.db.prepare('INSERT OR REPLACE INTO pointer (id, store_id, switched_at, changed) VALUES (1, ?, ?, 0)').run(targetId, Date.now());
      })
      .immediate();
  }

  /** Points back at the previous store; the store that was active becomes the previous one. */
  rollback(): StoreRecord {
    return this.db
      .transaction(() => {
        const previous = this.storeWithRole('previous');
        const active = this.activeStore();
        if (!previous || !active) throw new StrataError('not-found', 'There is no previous store to go back to: no migration has switched this data folder, or its source was removed.');
        this.db.prepare("UPDATE stores SET role = 'previous' WHERE id = ?").run(active.id);
        this.db.prepare("UPDATE stores SET role = 'active' WHERE id = ?").run(previous.id);
        this.db.prepare('UPDATE pointer SET store_id = ?, switched_at = ?, changed = 0 WHERE id = 1').run(previous.id, Date.now());
        return this.store(previous.id);
      })
      .immediate();
  }

  /** Every stored setting, as parsed JSON; the manager validates and fills defaults. */
  settings(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
  }

  saveSettings(values: Record<string, unknown>): void {
    const put = this.db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)');
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) put.run(key, JSON.stringify(value));
    })();
  }

  /** Records the catalog's size; samples older than `keepMs` are dropped so the table stays small. */
  addSizeSample(sample: SizeSample, keepMs: number): void {
    this.db.prepare('INSERT OR REPLACE INTO size_samples (at, segments, files, db_bytes) VALUES (?, ?, ?, ?)').run(sample.at, sample.segments, sample.files, sample.dbBytes);
    this.db.prepare('DELETE FROM size_samples WHERE at < ?').run(sample.at - keepMs);
  }

  sizeSamples(sinceMs: number): SizeSample[] {
    return this.db.prepare('SELECT at, segments, files, db_bytes AS dbBytes FROM size_samples WHERE at >= ? ORDER BY at').all(sinceMs) as SizeSample[];
  }

  /** Records that the active store was written since the last switch (idempotent, cheap). */
  markChanged(): void {
    this.db.prepare('UPDATE pointer SET changed = 1 WHERE id = 1 AND changed = 0').run();
  }

  /** The active store was written since the last switch or rollback. */
  changedSinceSwitch(): boolean {
    const row = this.db.prepare('SELECT changed FROM pointer WHERE id = 1').get() as { changed: number } | undefined;
    return row?.changed === 1;
  }

  /**
   * The newest size sample taken since the pointer last moved: proof that the active store was
   * opened and held this much. A store missing after that is lost data, never a new folder.
   */
  lastSampleSinceSwitch(): SizeSample | null {
    const row = this.db
      .prepare('SELECT at, segments, files, db_bytes AS dbBytes FROM size_samples WHERE at >= (SELECT switched_at FROM pointer WHERE id = 1) ORDER BY at DESC LIMIT 1')
      .get() as SizeSample | undefined;
    return row ?? null;
  }

  /** Every store the folder has recorded, newest first. */
  stores(): StoreRecord[] {
    return (this.db.prepare('SELECT id, engine, location, options, role FROM stores ORDER BY id DESC').all() as StoreRow[]).map(toStore);
  }

  /**
   * Points at a store the user chose (an adopted store found in the folder, or an empty catalog
   * started on request), recording it first if it is not listed. The store that was active is
   * retired; the previous one stays for rollback.
   */
  makeActive(engine: EngineName, location: string, options: Record<string, unknown> = {}): StoreRecord {
    return this.db
      .transaction(() => {
        const listed = this.db.prepare('SELECT id FROM stores WHERE location = ?').get(location) as { id: number } | undefined;
        const id =
          listed?.id ??
          Number(
            this.db.prepare("INSERT INTO stores (engine, location, options, role, created_at) VALUES (?, ?, ?, 'target', ?)").run(engine, location, JSON.stringify(options), Date.now()).lastInsertRowid,
          );
        this.db.prepare("UPDATE stores SET role = 'retired' WHERE role = 'active' AND id != ?").run(id);
        this.db.prepare("UPDATE stores SET role = 'active' WHERE id = ?").run(id);
        this.db.prepare('INSERT OR REPLACE INTO pointer (id, store_id, switched_at, changed) VALUES (1, ?, ?, 0)').run(id, Date.now());
        return this.store(id);
      })
      .immediate();
  }

  /** Records a check of a store, replacing the one before. */
  recordCheck(storeId: number, check: { ok: boolean; problems: string[] }): void {
    this.db
      .prepare('INSERT OR REPLACE INTO checks (store_id, checked_at, ok, problems) VALUES (?, ?, ?, ?)')
      .run(storeId, Date.now(), check.ok ? 1 : 0, JSON.stringify(check.problems));
  }

  /** The last check of a store, or null if it was never checked. */
  lastCheck(storeId: number): CheckRecord | null {
    const row = this.db.prepare('SELECT checked_at, ok, problems FROM checks WHERE store_id = ?').get(storeId) as
      | { checked_at: number; ok: number; problems: string }
      | undefined;
    return row ? { checkedAt: row.checked_at, ok: row.ok === 1, problems: JSON.parse(row.problems) as string[] } : null;
  }

  /** Marks a store retired (its files were removed or it was dropped). */
  retire(storeId: number): void {
    this.db.prepare("UPDATE stores SET role = 'retired' WHERE id = ?").run(storeId);
  }
}
