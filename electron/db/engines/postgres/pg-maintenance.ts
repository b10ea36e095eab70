/** Stats, integrity checks, and logical backup and restore for the Postgres dialect. */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { StrataError } from '../../../../shared/errors';
import type { BackupProgress, BackupResult, IntegrityReport, Row, StoreCapabilities, StoreStats, TableName, TableSize } from '../../store';
import { TABLES } from '../../store';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import type { PgDriver, PgQueryable } from './pg-driver';
import { loadTableRows, readTablePage, resetIdentities } from './pg-table-rows';
import { TableDigest } from '../../migration/rows/table-digest';
import { restrictFile } from '../../file-modes';
import { refuseExistingDestination } from '../sqlite/sqlite-maintenance';

export async function measureStats(
  driver: PgDriver,
  capabilities: StoreCapabilities,
  schemaVersion: number,
  detailed: boolean,
): Promise<StoreStats> {
  const totals = (
    await driver.query<{ collections: number; folders: number; files: number; segments: number; bytes: number }>(
      `SELECT count(*)::bigint AS collections, coalesce(sum(folder_count), 0)::bigint AS folders,
              coalesce(sum(file_count), 0)::bigint AS files, coalesce(sum(segment_count), 0)::bigint AS segments,
              coalesce(sum(bytes), 0)::bigint AS bytes
         FROM collections WHERE NOT deleting`,
    )
  ).rows[0] as { collections: number; folders: number; files: number; segments: number; bytes: number };
  const stats: StoreStats = {
    tier: capabilities.tier,
    engine: capabilities.engine,
    location: driver.location,
    schemaVersion,
    ...totals,
    dbBytes: await driver.databaseBytes(),
  };
  if (detailed) stats.tables = await tableSizes(driver);
  return stats;
}

/** Per-table sizes with indexes, TOAST and (for segments) every partition. */
async function tableSizes(q: PgQueryable): Promise<TableSize[]> {
  const { rows } = await q.query<TableSize>(
    // pg_partition_tree is empty for a plain table, hence the fallback to the table itself.
    `SELECT t.name, coalesce((SELECT sum(pg_total_relation_size(p.relid)) FROM pg_partition_tree(t.name::regclass) p),
                             pg_total_relation_size(t.name::regclass))::bigint AS bytes
       FROM unnest($1::text[]) AS t(name)
      ORDER BY bytes DESC, t.name`,
    [[...TABLES]],
  );
  return rows;
}

const FILE_COUNTERS = 'file counters that do not match their segments';
const ORPHAN_SEGMENTS = 'segments whose file does not exist';

/**
 * Each check lists up to 20 ids under its `label`, or under the label its row names (`kind`)
 * when one query answers several checks.
 */
const COUNTER_CHECKS: { label: string; sql: string }[] = [
  {
    // Both segments checks from one pass over segments (the table that reaches tens of
    // millions of rows): its per-file totals are computed once and both questions are asked
    // of them, instead of one full scan and join per question.
    label: FILE_COUNTERS,
    sql: `WITH s AS MATERIALIZED (
            SELECT file_id, count(*) AS n, sum(bytes) AS b, count(*) FILTER (WHERE state = 1) AS u, count(*) FILTER (WHERE state = 2) AS m
              FROM segments GROUP BY file_id)
          (SELECT '${FILE_COUNTERS}' AS kind, f.id FROM files f LEFT JOIN s ON s.file_id = f.id
            WHERE f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
               OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0)
            LIMIT 20)
          UNION ALL
          (SELECT '${ORPHAN_SEGMENTS}' AS kind, s.file_id FROM s WHERE NOT EXISTS (SELECT 1 FROM files f WHERE f.id = s.file_id) LIMIT 20)`,
  },
  {
    label: 'collection counters that do not match their files',
    sql: `SELECT c.id FROM collections c
            LEFT JOIN (SELECT collection_id, count(*) AS n, sum(segment_count) AS s, sum(bytes) AS b,
                              sum(uploaded_count) AS u, sum(missing_count) AS m FROM files GROUP BY collection_id) f
                   ON f.collection_id = c.id
            LEFT JOIN (SELECT collection_id, count(*) - 1 AS n FROM folders GROUP BY collection_id) d ON d.collection_id = c.id
           WHERE NOT c.deleting AND (c.file_count != coalesce(f.n, 0) OR c.segment_count != coalesce(f.s, 0)
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
  {
    label: 'files without full-text words',
    sql: `SELECT id FROM files WHERE search = ''::tsvector AND name ~ '[[:alnum:]]' LIMIT 20`,
  },
];

/** Reads every check in one snapshot, so a concurrent writer cannot produce a false alarm. */
export async function checkCatalogIntegrity(driver: PgDriver): Promise<IntegrityReport> {
  const started = performance.now();
  const problems = await driver.transaction(async (tx) => {
    const found: string[] = [];
    for (const check of COUNTER_CHECKS) {
      const { rows } = await tx.query<Record<string, unknown>>(check.sql);
      const byLabel = new Map<string, string[]>();
      for (const row of rows) {
        const label = typeof row.kind === 'string' ? row.kind : check.label;
        const id = String('kind' in row ? Object.values(row)[1] : Object.values(row)[0]);
        byLabel.set(label, [...(byLabel.get(label) ?? []), id]);
      }
      for (const [label, ids] of byLabel) found.push(`${label}: ${ids.join(', ')}`);
    }
    return found;
  }, { snapshot: true });
  return { ok: problems.length === 0, problems, checkedMs: performance.now() - started };
}

// ---- backup ----------------------------------------------------------------------------

export const BACKUP_FORMAT = 'strata-postgres-backup';
const BACKUP_PAGE_ROWS = 5_000;

interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  schemaVersion: number;
  engine: string;
  createdAt: number;
  rows: Record<string, number>;
}

/** The last line: each table's count and digest over the rows written (TableRecords). */
interface BackupTrailer {
  end: typeof BACKUP_FORMAT;
  tables: Record<string, { rows: number; digest: string }>;
}

/**
 * The decompressed lines of a backup. Iterating the gunzip stream itself (not readline over a
 * pipe) is what makes a damaged file's zlib error reject this loop instead of being raised as
 * an unhandled 'error' event that would take the process down.
 */
async function* backupLines(file: string): AsyncGenerator<string> {
  const gunzip = zlib.createGunzip();
  const source = fs.createReadStream(file);
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (rest !== '') yield rest;
}

/** A damaged backup is reported as one: never a raw zlib or JSON parse error. */
function damaged(file: string, what: string, cause?: unknown): StrataError {
  return new StrataError(
    'db-corrupt',
    `The backup ${file} is damaged (${what}). Nothing was restored and the active catalog is unchanged; use another backup.`,
    { file },
    cause === undefined ? undefined : { cause },
  );
}

function zlibProblem(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'Z_BUF_ERROR') return 'its compressed data ends early: the file was cut short';
  if (code === 'Z_DATA_ERROR') return 'its compressed data is not valid: bytes were changed';
  if (code === 'ERR_PADDING_1' || code === 'Z_STREAM_ERROR') return 'its compressed data is not valid';
  return null;
}

/**
 * A logical backup: one gzip file of JSON lines, a header and then `[table, values...]` per
 * row in load order, read from one REPEATABLE READ snapshot. It restores into PGlite or any
 * server (restoreBackup), whatever the source's partition count or PostgreSQL version, which
 * a copy of the data folder (PGlite's dumpDataDir) or pg_dump's custom format could not
 * promise. Written beside the destination and renamed into place once complete.
 * Progress counts rows, in `totalPages`/`remainingPages`.
 */
export async function writeBackup(
  driver: PgDriver,
  schemaVersion: number,
  engine: string,
  destination: string,
  onProgress?: (p: BackupProgress) => void,
): Promise<BackupResult> {
  const started = performance.now();
  const target = path.resolve(destination);
  refuseExistingDestination(target);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  try {
    await driver.transaction(
      async (tx) => {
        const counts: Record<string, number> = {};
        for (const table of TABLES) {
          const where = table === 'collections' ? 'WHERE NOT deleting' : '';
          counts[table] = (await tx.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${table} ${where}`)).rows[0]?.n ?? 0;
        }
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        let remaining = total;
        onProgress?.({ totalPages: total, remainingPages: remaining });
        const header: BackupHeader = { format: BACKUP_FORMAT, formatVersion: 1, schemaVersion, engine, createdAt: Date.now(), rows: counts };
        async function* lines(): AsyncGenerator<string> {
          yield `${JSON.stringify(header)}\n`;
          const trailer: BackupTrailer = { end: BACKUP_FORMAT, tables: {} };
          for (const table of TABLES) {
            const columns = TABLE_COLUMNS[table].columns;
            const digest = new TableDigest(table);
            let after: (string | number)[] | null = null;
            for (;;) {
              const rows = await readTablePage(tx, table, after, BACKUP_PAGE_ROWS);
              if (rows.length === 0) break;
              for (const r of rows) digest.addRow(r);
              yield rows.map((r) => `${JSON.stringify([table, ...columns.map((c) => r[c] ?? null)])}\n`).join('');
              remaining -= rows.length;
              onProgress?.({ totalPages: total, remainingPages: remaining });
              const last = rows[rows.length - 1] as Row;
              after = TABLE_COLUMNS[table].key.map((k) => last[k] as number);
              if (rows.length < BACKUP_PAGE_ROWS) break;
            }
            trailer.tables[table] = { rows: digest.count, digest: digest.toString() };
          }
          yield `${JSON.stringify(trailer)}\n`;
        }
        await pipeline(Readable.from(lines()), zlib.createGzip({ level: 6 }), fs.createWriteStream(partial, { mode: 0o600 }));
      },
      { snapshot: true },
    );
    restrictFile(partial);
    refuseExistingDestination(target);
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { path: target, bytes: fs.statSync(target).size, elapsedMs: performance.now() - started };
}

/**
 * Loads a backup written by writeBackup into a freshly migrated, empty catalog, in one
 * transaction: rows are counted per table against the header, and a damaged file (cut short,
 * bytes changed) is refused as such. Returns the trailer's counts and digests (null for a
 * backup written before backups had one), for the caller to compare with the stored rows.
 */
export async function restoreBackup(driver: PgDriver, file: string, schemaVersion: number): Promise<BackupTrailer['tables'] | null> {
  try {
    return await loadBackup(driver, file, schemaVersion);
  } catch (error) {
    const zlibWhat = zlibProblem(error);
    if (zlibWhat) throw damaged(file, zlibWhat, error);
    if (error instanceof SyntaxError) throw damaged(file, `a line is not valid JSON: ${error.message}`, error);
    throw error;
  }
}

async function loadBackup(driver: PgDriver, file: string, schemaVersion: number): Promise<BackupTrailer['tables'] | null> {
  if (!fs.existsSync(file)) throw new StrataError('not-found', `There is no backup at ${file}.`, { file });
  return driver.transaction(async (tx) => {
    const existing = (await tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM collections')).rows[0]?.n ?? 0;
    if (existing > 0) throw new StrataError('conflict', 'A backup can only be restored into an empty catalog.', { file });
    const input = backupLines(file);
    let header: BackupHeader | null = null;
    let trailer: BackupTrailer | null = null;
    const counted: Record<string, number> = {};
    let table: TableName | null = null;
    let pending: Row[] = [];
    const flush = async (): Promise<void> => {
      if (table && pending.length > 0) await loadTableRows(tx, table, pending);
      pending = [];
    };
    for await (const line of input) {
      if (line === '') continue;
      if (header === null) {
        header = JSON.parse(line) as BackupHeader;
        if (header.format !== BACKUP_FORMAT) {
          throw new StrataError('db-foreign', `${file} is not a Strata PostgreSQL backup.`, { file });
        }
        if (header.schemaVersion > schemaVersion) {
          throw new StrataError('db-newer', `The backup ${file} was written by a newer version of Strata; update Strata to restore it.`, {
            file,
            schemaVersion: header.schemaVersion,
          });
        }
        continue;
      }
      if (trailer !== null) throw damaged(file, 'it has lines after its last one');
      const parsed = JSON.parse(line) as unknown;
      if (!Array.isArray(parsed)) {
        if ((parsed as Partial<BackupTrailer> | null)?.end !== BACKUP_FORMAT) throw damaged(file, 'a line is neither a row nor its last line');
        trailer = parsed as BackupTrailer;
        continue;
      }
      const [name, ...values] = parsed as [TableName, ...(string | number | null)[]];
      if (!(TABLES as readonly string[]).includes(name)) throw damaged(file, `a row names no table Strata has (${JSON.stringify(name)})`);
      counted[name] = (counted[name] ?? 0) + 1;
      if (name !== table || pending.length >= BACKUP_PAGE_ROWS) {
        await flush();
        table = name;
      }
      const row: Row = {};
      TABLE_COLUMNS[name].columns.forEach((c, i) => (row[c] = values[i] ?? null));
      pending.push(row);
    }
    await flush();
    if (header === null) throw new StrataError('db-corrupt', `The backup ${file} is empty.`, { file });
    const wrong = TABLES.filter((t) => (counted[t] ?? 0) !== (header?.rows[t] ?? 0)).map(
      (t) => `${t}: the header records ${(header?.rows[t] ?? 0).toLocaleString('en-US')} rows and the file holds ${(counted[t] ?? 0).toLocaleString('en-US')}`,
    );
    if (wrong.length > 0) throw damaged(file, wrong.join('; '));
    await resetIdentities(tx);
    return trailer?.tables ?? null;
  });
}
