/**
 * Where `segments` lives on a Postgres server, as a pure function of what the server offers.
 *
 * - One server (PGlite, the portable server, most existing servers): HASH partitions by
 *   file_id, so each partition's primary-key index stays small enough to stay cached and a
 *   file's segments sit in one partition.
 * - A server with the Citus extension created in the catalog's database: a plain table
 *   distributed by file_id (`create_distributed_table`). Citus hashes file_id into shards on
 *   its workers, which is what the partitions do on one machine, so the table is not also
 *   partitioned (Citus would shard every partition separately: P x shard_count tables for no
 *   gain). Citus requires every unique constraint of a distributed table to contain the
 *   distribution column: the primary key (file_id, number) does, and `segments` has no
 *   foreign keys (Citus allows those only towards reference or co-located tables).
 *
 * Citus merely available on the server (`pg_available_extensions`) is not enough: creating the
 * extension needs it preloaded and a cluster set up by the server's administrator, so Strata
 * never creates it itself; check-server says how to have it.
 */

export type CitusState = 'absent' | 'available' | 'installed';

export type SegmentsLayout = { kind: 'partitioned'; partitions: number } | { kind: 'distributed'; column: 'file_id' };

export function chooseSegmentsLayout(citus: CitusState, partitions: number): SegmentsLayout {
  return citus === 'installed' ? { kind: 'distributed', column: 'file_id' } : { kind: 'partitioned', partitions };
}

const SEGMENT_COLUMNS_DDL = `
        file_id     bigint NOT NULL,
        number      integer NOT NULL,
        bytes       bigint NOT NULL,
        state       smallint NOT NULL DEFAULT 0,
        hash        bytea,
        message_id  text,
        uploaded_at bigint,
        PRIMARY KEY (file_id, number)`;

/** The DDL that creates `segments` in the given layout (run inside the schema migration). */
export function segmentsTableSql(layout: SegmentsLayout): string {
  if (layout.kind === 'distributed') {
    return `CREATE TABLE segments (${SEGMENT_COLUMNS_DDL}
      );
      SELECT create_distributed_table('segments', '${layout.column}');`;
  }
  const parts: string[] = [];
  for (let i = 0; i < layout.partitions; i++) {
    parts.push(`CREATE TABLE segments_p${i} PARTITION OF segments FOR VALUES WITH (MODULUS ${layout.partitions}, REMAINDER ${i});`);
  }
  // Planner statistics on the key columns only: every query on segments finds rows by
  // (file_id, number), and no other column is ever filtered, joined or grouped on, so their
  // statistics only cost ANALYZE time (on a 1M-segment move, 1.46 s of server CPU of which
  // 1.03 s went to message_id and 0.58 s to hash, against 0.63 s for file_id and number;
  // docs/benchmarks.md). SET STATISTICS recurses into the partitions. Not a change of the
  // logical schema: a catalog created before keeps the defaults and works the same.
  return `CREATE TABLE segments (${SEGMENT_COLUMNS_DDL}
      ) PARTITION BY HASH (file_id);
      ${parts.join('\n')}
      ALTER TABLE segments ${NO_STATISTICS.map((c) => `ALTER COLUMN ${c} SET STATISTICS 0`).join(', ')};`;
}

/** The segments columns ANALYZE leaves alone (see segmentsTableSql). */
export const NO_STATISTICS = ['bytes', 'state', 'hash', 'message_id', 'uploaded_at'] as const;

/** Runs one query and returns its rows (a driver, a pooled client or a bare pg.Client). */
export type RowsOf = <R>(sql: string) => Promise<R[]>;

/** Whether Citus is created in the connected database, only installable on the server, or neither. */
export async function detectCitus(rows: RowsOf): Promise<CitusState> {
  const found = await rows<{ installed: string | null }>("SELECT installed_version AS installed FROM pg_available_extensions WHERE name = 'citus'");
  if (found.length === 0) return 'absent';
  return found[0]?.installed ? 'installed' : 'available';
}

/** Whether an existing catalog's `segments` is a Citus distributed table. */
export async function segmentsDistributed(rows: RowsOf, citus: CitusState): Promise<boolean> {
  if (citus !== 'installed') return false;
  const found = await rows<{ distributed: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = to_regclass('segments')) AS distributed",
  );
  return found[0]?.distributed === true;
}
