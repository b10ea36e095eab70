/**
 * A migration fills each hash partition of `segments` in one transaction of its own, straight
 * into the partition: TRUNCATE, COPY ... FREEZE, the partition's primary key, COMMIT.
 *
 * - No tuple routing: the app knows PostgreSQL's partition hash (pg-partition-hash.ts) and
 *   asks the source for one partition's files at a time; the partition's constraint still
 *   checks every row, so a row the app placed wrong fails the load instead of hiding.
 * - No WAL for the rows on a server with wal_level = minimal (Strata's portable server): a
 *   table truncated in the transaction that fills it is written straight to its files and
 *   synced at COMMIT. On a server with replicas or archiving (replica or logical) the same
 *   statements are simply logged as usual; nothing here changes a server's settings.
 * - FREEZE writes the rows already frozen, so the first reads (ANALYZE, the verification
 *   digest) do not rewrite every page to set hint bits. PostgreSQL allows it only because the
 *   transaction truncated the partition; no one else reads a migration's target meanwhile.
 * - The partition's primary key is built in the same transaction, on a table just filled
 *   (also without WAL), while the next partition copies on another connection. Restoring
 *   the parent's key then attaches the partitions' keys instead of building them again.
 *
 * A kill costs at most the partitions in flight: each committed one is recorded in the
 * journal after its COMMIT, and a resume truncates and refills the first one not recorded.
 */
import type { LoadPart, TextBatch } from '../../store';
import { TABLE_COLUMNS } from '../../migration/rows/table-columns';
import type { PgDriver, PgQueryable } from './pg-driver';
import { hashPartitionOf } from './pg-partition-hash';
import { isSetAside } from './pg-load-setaside';

interface HashPartition {
  name: string;
  modulus: number;
  remainder: number;
}

const BOUND = /^FOR VALUES WITH \(modulus (\d+), remainder (\d+)\)$/i;

/** The hash partitions of `segments`, by remainder; null unless it is hash-partitioned on file_id with one modulus throughout. */
export async function segmentsHashPartitions(q: PgQueryable): Promise<HashPartition[] | null> {
  const rows = await q.queryRows<{ name: string; bound: string; strategy: string | null; key: string | null }>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound,
            (SELECT partstrat::text FROM pg_partitioned_table WHERE partrelid = 'segments'::regclass) AS strategy,
            pg_get_partkeydef('segments'::regclass) AS key
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'segments'::regclass AND c.relkind = 'r'`,
  );
  if (rows.length === 0 || rows.some((r) => r.strategy !== 'h' || r.key !== 'HASH (file_id)')) return null;
  const parts: HashPartition[] = [];
  for (const row of rows) {
    const match = BOUND.exec(row.bound);
    if (!match) return null;
    parts.push({ name: row.name, modulus: Number(match[1]), remainder: Number(match[2]) });
  }
  const modulus = parts[0]?.modulus as number;
  parts.sort((a, b) => a.remainder - b.remainder);
  // Every remainder of one modulus, each once: otherwise some rows would have no partition to go to.
  if (parts.length !== modulus || parts.some((p, i) => p.modulus !== modulus || p.remainder !== i)) return null;
  return parts;
}

/** The loaded files' ids split by the partition their segments belong in. */
export async function segmentsParts(q: PgQueryable): Promise<LoadPart[] | null> {
  const partitions = await segmentsHashPartitions(q);
  if (!partitions) return null;
  const modulus = partitions.length;
  const ids: number[][] = partitions.map(() => []);
  const rows = await q.queryRows<{ id: number }>('SELECT id FROM files ORDER BY id');
  for (const { id } of rows) (ids[hashPartitionOf(id, modulus)] as number[]).push(id);
  return partitions.map((p, index) => ({ index, name: p.name, fileIds: ids[index] as number[] }));
}

async function* chunks(batches: AsyncIterable<TextBatch>): AsyncGenerator<Buffer> {
  for await (const batch of batches) yield batch.text;
}

/** Fills one partition from `batches` in one transaction (see the file's comment). */
export async function loadSegmentsPart(driver: PgDriver, part: LoadPart, batches: AsyncIterable<TextBatch>, copied: () => void): Promise<void> {
  const name = part.name;
  await driver.transaction(async (tx) => {
    await tx.exec(`TRUNCATE ${name}`);
    await tx.copyFrom(name, TABLE_COLUMNS.segments.columns, chunks(batches), { freeze: true });
    copied();
    // The key set aside for the parent (pg-load-setaside.ts), built on this partition alone;
    // a partition that still has its own (a resumed load) keeps it, TRUNCATE emptied it.
    // No record at all: nothing was set aside (the catalog was not empty when the load began).
    if (!(await isSetAside(tx))) return;
    const missing = await tx.queryRows<{ definition: string }>(
      `SELECT s.definition FROM strata_load_setaside s
        WHERE s.table_name = 'segments' AND s.kind = 'key'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = $1::regclass AND k.contype = 'p')`,
      [name],
    );
    for (const { definition } of missing) await tx.exec(`ALTER TABLE ${name} ADD ${definition}`);
  });
}
