/** Stats, integrity checks, and logical backup and restore for the Postgres dialect. */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { StrataError } from '../../../../shared/errors';
import type { BackupProgress, BackupResult, IntegrityReport, Row, StoreCapabilities, StoreStats, TableName, TableSize } from '../../store';
import { TABLES } from '../../store';
import { TABLE_COLUMNS } from '../../table-columns';
import type { PgDriver, PgQueryable } from './pg-driver';
import { loadTableRows, readTablePage, resetIdentities } from './pg-table-rows';

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

const COUNTER_CHECKS: { label: string; sql: string }[] = [
  {
    label: 'file counters that do not match their segments',
    sql: `SELECT f.id FROM files f
            LEFT JOIN (SELECT file_id, count(*) AS n, sum(bytes) AS b, count(*) FILTER (WHERE state = 1) AS u,
                              count(*) FILTER (WHERE state = 2) AS m
                         FROM segments GROUP BY file_id) s ON s.file_id = f.id
           WHERE f.segment_count != coalesce(s.n, 0) OR f.bytes != coalesce(s.b, 0)
              OR f.uploaded_count != coalesce(s.u, 0) OR f.missing_count < coalesce(s.m, 0)
           LIMIT 20`,
  },
  {
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
      if (rows.length > 0) found.push(`${check.label}: ${rows.map((r) => String(Object.values(r)[0])).join(', ')}`);
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
          for (const table of TABLES) {
            const columns = TABLE_COLUMNS[table].columns;
            let after: (string | number)[] | null = null;
            for (;;) {
              const rows = await readTablePage(tx, table, after, BACKUP_PAGE_ROWS);
              if (rows.length === 0) break;
              yield rows.map((r) => `${JSON.stringify([table, ...columns.map((c) => r[c] ?? null)])}\n`).join('');
              remaining -= rows.length;
              onProgress?.({ totalPages: total, remainingPages: remaining });
              const last = rows[rows.length - 1] as Row;
              after = TABLE_COLUMNS[table].key.map((k) => last[k] as number);
              if (rows.length < BACKUP_PAGE_ROWS) break;
            }
          }
        }
        await pipeline(Readable.from(lines()), zlib.createGzip({ level: 6 }), fs.createWriteStream(partial));
      },
      { snapshot: true },
    );
    fs.renameSync(partial, target);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  return { path: target, bytes: fs.statSync(target).size, elapsedMs: performance.now() - started };
}

/** Loads a backup written by writeBackup into a freshly migrated, empty catalog, in one transaction. */
export async function restoreBackup(driver: PgDriver, file: string, schemaVersion: number): Promise<void> {
  if (!fs.existsSync(file)) throw new StrataError('not-found', `There is no backup at ${file}.`, { file });
  await driver.transaction(async (tx) => {
    const existing = (await tx.query<{ n: number }>('SELECT count(*)::bigint AS n FROM collections')).rows[0]?.n ?? 0;
    if (existing > 0) throw new StrataError('conflict', 'A backup can only be restored into an empty catalog.', { file });
    // Created right before it is iterated: readline starts reading at once, and lines emitted
    // before the loop attaches would be lost (the loop would then wait forever).
    const input = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
    let header: BackupHeader | null = null;
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
      const [name, ...values] = JSON.parse(line) as [TableName, ...(string | number | null)[]];
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
    await resetIdentities(tx);
  });
}
