/** Stats, table streams, integrity checks and online backup for one catalog file. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StrataError, invalidArgument } from '../../../../shared/errors';
import type { BackupProgress, BackupResult, IntegrityReport, Row, StoreCapabilities, StoreStats, StreamTableOptions, TableBatch, TableName, TableSize } from '../../store';
import { TABLES } from '../../store';
import { JSON_COLUMNS, TABLE_COLUMNS, canonicalJson } from '../../migration/rows/table-columns';
import { checkLimit } from '../../validate';
import type { SqliteDatabase } from './open-database';
import { SQLITE_CAPABILITIES } from './sqlite-capabilities';
import { restrictFile } from '../../file-modes';
import { sqliteOpenName } from '../../win-paths';

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Size on disk: the main file plus its write-ahead log (committed data may still live there). */
export function sqliteFileBytes(file: string): number {
  return fileSize(file) + fileSize(`${file}-wal`);
}

/** Per-table sizes with each table's indexes, and FTS shadow tables, counted to their owner. */
export function tableSizes(db: SqliteDatabase): TableSize[] {
  const owners = new Map<string, string>();
  for (const row of db.prepare('SELECT name, tbl_name FROM sqlite_schema WHERE type IN (\'table\', \'index\')').all() as {
    name: string;
    tbl_name: string;
  }[]) {
    owners.set(row.name, row.tbl_name.replace(/^files_fts_(data|idx|docsize|config|content)$/u, 'files_fts'));
  }
  const totals = new Map<string, number>();
  for (const row of db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as {
    name: string;
    bytes: number;
  }[]) {
    const owner = owners.get(row.name) ?? row.name;
    totals.set(owner, (totals.get(owner) ?? 0) + row.bytes);
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

export function measureStats(
  db: SqliteDatabase,
  file: string,
  schemaVersion: number,
  detailed: boolean,
  capabilities: Pick<StoreCapabilities, 'tier' | 'engine'> = SQLITE_CAPABILITIES,
): StoreStats {
  const totals = db
    .prepare(
      `SELECT count(*) AS collections, coalesce(sum(folder_count), 0) AS folders, coalesce(sum(file_count), 0) AS files,
              coalesce(sum(segment_count), 0) AS segments, coalesce(sum(bytes), 0) AS bytes
         FROM collections WHERE deleting = 0`,
    )
    .get() as { collections: number; folders: number; files: number; segments: number; bytes: number };
  const stats: StoreStats = {
    tier: capabilities.tier,
    engine: capabilities.engine,
    location: file,
    schemaVersion,
    ...totals,
    dbBytes: sqliteFileBytes(file),
  };
  if (detailed) stats.tables = tableSizes(db);
  return stats;
}

export interface StreamQuery {
  first: string;
  next: string;
  toRow: (raw: unknown[]) => Row;
}

export function buildStreamQuery(table: TableName): StreamQuery {
  const spec = TABLE_COLUMNS[table];
  const select = spec.columns.join(', ');
  const keys = spec.key.join(', ');
  const order = `ORDER BY ${keys}`;
  const where = table === 'collections' ? 'WHERE deleting = 0' : '';
  const hashIndex = table === 'segments' ? spec.columns.indexOf('hash') : -1;
  return {
    first: `SELECT ${select} FROM ${table} ${where} ${order} LIMIT ?`,
    next: `SELECT ${select} FROM ${table} WHERE (${keys}) > (${spec.key.map(() => '?').join(', ')}) ${where ? 'AND deleting = 0' : ''} ${order} LIMIT ?`,
    toRow: (raw) => {
      const row: Row = {};
      spec.columns.forEach((column, i) => {
        const value = raw[i];
        row[column] =
          i === hashIndex && value != null
            ? (value as Buffer).toString('hex')
            : JSON_COLUMNS.has(column)
              ? canonicalJson(value as string | null)
              : (value as string | number | null);
      });
      return row;
    },
  };
}

/**
 * Keyset batches in primary-key order. Each batch is its own statement: better-sqlite3 cannot
 * run other statements on a connection while an iterator is open, and a stream must not
 * block the app for its whole length.
 */
export async function* streamSqliteTable(
  table: TableName,
  options: StreamTableOptions,
  use: <T>(fn: (db: SqliteDatabase) => T) => T,
): AsyncGenerator<TableBatch> {
  if (!(TABLES as readonly string[]).includes(table)) {
    throw invalidArgument(`There is no table ${JSON.stringify(table)}; tables are ${TABLES.join(', ')}.`);
  }
  const batchSize = checkLimit(options.batchSize, 5_000, 100_000);
  const spec = TABLE_COLUMNS[table];
  let after = options.after ?? null;
  if (after !== null && (!Array.isArray(after) || after.length !== spec.key.length)) {
    throw invalidArgument(`A ${table} resume key has ${spec.key.length} part(s).`);
  }
  const q = buildStreamQuery(table);
  for (;;) {
    if (options.signal?.aborted) throw new StrataError('cancelled', `Reading ${table} was cancelled.`);
    const raw = use((db) => {
      const stmt = db.prepare(after === null ? q.first : q.next).raw(true);
      return (after === null ? stmt.all(batchSize) : stmt.all(...after, batchSize)) as unknown[][];
    });
    if (raw.length === 0) return;
    const rows = raw.map(q.toRow);
    const last = rows[rows.length - 1] as Row;
    after = spec.key.map((k) => last[k] as string | number);
    yield { rows, lastKey: after };
    if (raw.length < batchSize) return;
  }
}

/** `segments` marks the checks that read the local segments table (a sharded catalog has none). */
const COUNTER_CHECKS: { label: string; sql: string; segments?: true }[] = [
  {
    segments: true,
    label: 'file counters that do not match their segments',
    sql: `SELECT f.id FROM files f
            LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, sum(state = 1) AS u, sum(state = 2) AS m
                         FROM segments GROUP BY file_id) s ON s.file_id = f.id
           WHERE f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
              OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0)
           LIMIT 20`,
  },
  {
    segments: true,
    label: 'segments whose file does not exist',
    sql: 'SELECT DISTINCT s.file_id FROM segments s LEFT JOIN files f ON f.id = s.file_id WHERE f.id IS NULL LIMIT 20',
  },
  {
    label: 'collection counters that do not match their files',
    sql: `SELECT c.id FROM collections c
            LEFT JOIN (SELECT collection_id, count(*) AS n, sum(segment_count) AS s, sum(bytes) AS b,
                              sum(uploaded_count) AS u, sum(missing_count) AS m FROM files GROUP BY collection_id) f
                   ON f.collection_id = c.id
            LEFT JOIN (SELECT collection_id, count(*) - 1 AS n FROM folders GROUP BY collection_id) d ON d.collection_id = c.id
           WHERE c.deleting = 0 AND (c.file_count != coalesce(f.n, 0) OR c.segment_count != coalesce(f.s, 0)
              OR c.bytes != coalesce(f.b, 0) OR c.uploaded_segments != coalesce(f.u, 0)
              OR c.missing_segments != coalesce(f.m, 0) OR c.folder_count != coalesce(d.n, 0))`,
  },
  {
    label: 'folder counters that do not match their contents',
    sql: `SELECT d.id FROM folders d
            LEFT JOIN (SELECT folder_id, count(*) AS n, sum(size) AS b FROM files GROUP BY folder_id) f ON f.folder_id = d.id
            LEFT JOIN (SELECT parent_id, count(*) AS n FROM folders WHERE parent_id IS NOT NULL GROUP BY parent_id) c ON c.parent_id = d.id
           WHERE d.file_count != coalesce(f.n, 0) OR d.bytes != coalesce(f.b, 0) OR d.folder_count != coalesce(c.n, 0)
           LIMIT 20`,
  },
];

/**
 * The tables (each with its indexes) whose B-trees fail SQLite's check, by name: what a report
 * about a damaged file must say, since a whole-file check either throws "malformed" or names
 * page numbers only. Null when even the schema cannot be read.
 */
export function damagedTables(db: SqliteDatabase): string[] | null {
  let tables: string[];
  try {
    tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name").pluck().all() as string[];
  } catch {
    return null;
  }
  return tables.filter((name) => {
    try {
      return db.prepare(`PRAGMA quick_check("${name.replaceAll('"', '""')}")`).pluck().get() !== 'ok';
    } catch {
      return true;
    }
  });
}

/** What a damaged table holds, for the report (the full-text index's shadow tables by that name). */
const describeTable = (name: string): string => (/^files_fts_/u.test(name) ? `${name} (full-text index)` : name);

/** SQLite's own check of the file's pages; a failure names the damaged tables. */
export function storageProblems(db: SqliteDatabase, file: string): string[] {
  let found: string[];
  try {
    found = (db.prepare('PRAGMA quick_check(20)').pluck().all() as string[]).filter((r) => r !== 'ok');
  } catch (error) {
    found = [(error as Error).message];
  }
  if (found.length === 0) return [];
  const tables = damagedTables(db);
  const where =
    tables === null
      ? 'its schema cannot be read'
      : tables.length > 0
        ? `damaged ${tables.length === 1 ? 'table' : 'tables'}: ${tables.map(describeTable).join(', ')}`
        : 'damaged pages outside any table';
  return [`storage of ${path.basename(file)} (${file}): ${where} (${found.slice(0, 3).join('; ')})`];
}

/** True when the storage problems found touch nothing but the full-text index, which can be rebuilt from the files. */
export function onlyFullTextDamaged(db: SqliteDatabase): boolean {
  const tables = damagedTables(db);
  return tables !== null && tables.length > 0 && tables.every((t) => /^files_fts_/u.test(t));
}

export function checkCatalogIntegrity(
  db: SqliteDatabase,
  /** `fullText: false`: the index is kept elsewhere (the sharded tier's search file) and checked there. */
  options: { localSegments: boolean; file?: string; fullText?: boolean } = { localSegments: true },
): IntegrityReport {
  const started = performance.now();
  const file = options.file ?? db.name;
  const problems: string[] = storageProblems(db, file);
  const storageOk = problems.length === 0;
  if (storageOk && options.fullText !== false) {
    // FTS5's own check is an INSERT command, which a read-only connection (a read-only data
    // folder) may not run; there the pages of its tables are still checked above, and its
    // entries counted against the files below.
    if (!db.readonly) {
      try {
        db.prepare("INSERT INTO files_fts (files_fts, rank) VALUES ('integrity-check', 0)").run();
      } catch (error) {
        problems.push(`full-text index: ${(error as Error).message}`);
      }
    }
    const ftsRows = (db.prepare('SELECT count(*) AS n FROM files_fts').get() as { n: number }).n;
    const fileRows = (db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;
    if (ftsRows !== fileRows) problems.push(`full-text index: ${ftsRows} entries for ${fileRows} files`);
  }
  if (storageOk) {
    for (const check of COUNTER_CHECKS) {
      if (check.segments && !options.localSegments) continue;
      const ids = (db.prepare(check.sql).raw(true).all() as unknown[][]).map((r) => r[0]);
      if (ids.length > 0) problems.push(`${check.label}: ${ids.join(', ')}`);
    }
  }
  return { ok: problems.length === 0, problems, checkedMs: performance.now() - started };
}

/** A backup never replaces a file: the user's older backup, or anything else, stays as it is. */
export function refuseExistingDestination(target: string): void {
  if (fs.existsSync(target)) {
    throw new StrataError('conflict', `${target} already exists; Strata does not overwrite it. Choose a new name for the backup, or move the old one away first.`, { path: target });
  }
}

/**
 * Online backup through SQLite's backup API: writers may continue meanwhile. The copy is
 * written beside the destination and renamed into place, so a failed backup never leaves a
 * half-written file under the name the user chose. The copy is switched to a rollback journal
 * (the source's WAL mode travels with the pages): one self-contained file, no -wal or -shm
 * beside it. `finish` writes into the copy before its check (the backup's manifest).
 */
export async function backupDatabase(
  db: SqliteDatabase,
  destination: string,
  onProgress?: (p: BackupProgress) => void,
  finish?: (copy: SqliteDatabase) => Promise<void>,
): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(destination);
  refuseExistingDestination(target);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  const removePartial = (): void => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${partial}${suffix}`, { force: true });
  };
  removePartial();
  try {
    await db.backup(sqliteOpenName(partial), {
      progress: ({ totalPages, remainingPages }) => {
        onProgress?.({ totalPages, remainingPages });
        return 2_000;
      },
    });
    // The copy is checked before it takes the user's chosen name.
    const check = new Database(sqliteOpenName(partial), { fileMustExist: true });
    try {
      check.pragma('journal_mode = DELETE');
      await finish?.(check);
      const ok = check.prepare('PRAGMA quick_check(1)').pluck().get();
      if (ok !== 'ok') throw new StrataError('io', `The backup copy failed its check (${String(ok)}); the original is unchanged.`);
    } finally {
      check.close();
    }
    for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(`${partial}${suffix}`, { force: true });
    restrictFile(partial);
    // Checked again at the last moment: a file that appeared meanwhile is not replaced either.
    refuseExistingDestination(target);
    fs.renameSync(partial, target);
  } catch (error) {
    removePartial();
    throw error;
  }
  return { path: target, bytes: fs.statSync(target).size, elapsedMs: performance.now() - started };
}
