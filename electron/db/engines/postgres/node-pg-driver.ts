/**
 * The server driver: node-postgres against the portable server shipped with the app or an
 * existing server (TLS through the connection string's sslmode). Reads use a small pool, so a
 * browse query never waits behind an import; each transaction holds one pooled connection
 * from BEGIN to COMMIT. Bulk loads stream COPY FROM STDIN through pg-copy-streams.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import type { CopyData, CopyFromOptions, PgDriver, PgParam, PgQueryable, PgResult, TransactionOptions } from './pg-driver';

/** The slice of a pooled node-postgres client this driver uses. */
interface PgClientLike {
  query(sql: string | { name: string; text: string; values: unknown[] }, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
  query<S extends NodeJS.WritableStream>(stream: S): S;
}

export interface NodePgOptions {
  connectionString: string;
  /** Connections kept open: readers plus one writer at a time per ingest. */
  poolSize?: number;
}

const DEFAULT_POOL_SIZE = 4;

const toNumber = (value: string): number => Number(value);

/** int8 and numeric as numbers: every catalog value is a safe integer (see pg-driver.ts). */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === 20 || oid === 1700) return toNumber;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}
const types = { getTypeParser: getTypeParser as typeof pg.types.getTypeParser };

/** user@host:port/database, never the password. */
export function describeConnection(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `postgres://${user}${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'postgres (connection string not shown)';
  }
}

function handle(client: PgClientLike, statements: StatementNames): PgQueryable {
  const run = (sql: string, params: readonly PgParam[]) => {
    const name = params.length > 0 ? statements.nameFor(sql) : undefined;
    return name === undefined ? client.query(sql, params as unknown[]) : client.query({ name, text: sql, values: params as unknown[] });
  };
  return {
    async query<R>(sql: string, params: readonly PgParam[] = []): Promise<PgResult<R>> {
      const result = await run(sql, params);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
    },
    async queryRows<R>(sql: string, params: readonly PgParam[] = []): Promise<R[]> {
      return (await run(sql, params)).rows as R[];
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which runs a whole script.
      await client.query(sql);
    },
    async copyFrom(table: string, columns: readonly string[], data: CopyData, options: CopyFromOptions = {}): Promise<number> {
      const stream = client.query(copyFromStdin(`COPY ${table} (${columns.join(', ')}) FROM STDIN${options.freeze ? ' WITH (FREEZE)' : ''}`));
      // Two chunks read ahead at most: a lazily produced source (a migration's batches of a
      // few MB each) waits for the socket instead of piling up in memory.
      await pipeline(Readable.from(data, { highWaterMark: 2 }), stream);
      return stream.rowCount;
    },
  };
}

/**
 * Names for parameterised statements, so each pooled connection parses and plans one once and
 * then only binds and executes it: a segment list at 10M segments spent about a third of its
 * server time planning (docs/benchmarks.md). PostgreSQL still plans the first five runs with
 * the actual values and keeps a generic plan only when it is no worse. The catalog's SQL is
 * a fixed set of texts; the cap keeps a caller that builds texts from values from growing the
 * set (and every connection's prepared statements) without bound.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();

  constructor(private readonly limit = 1_000) {}

  nameFor(sql: string): string | undefined {
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < this.limit) {
      name = `strata_${this.names.size + 1}`;
      this.names.set(sql, name);
    }
    return name;
  }
}

export class NodePgDriver implements PgDriver {
  readonly kind = 'postgres' as const;
  private closed = false;
  private readonly statements = new StatementNames();

  private constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {}

  static async open(options: NodePgOptions): Promise<NodePgDriver> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      types,
      application_name: 'strata',
    });
    // An idle connection the server drops must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const driver = new NodePgDriver(pool, describeConnection(options.connectionString));
    try {
      // Connects now, so a wrong address or password is reported at open, not at the first query.
      await driver.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return driver;
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (error) {
      // A connection that failed mid-protocol is discarded rather than handed to the next caller.
      if (!(error as { code?: unknown }).code) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<PgResult<R>> {
    return handle(this.pool, this.statements).query<R>(sql, params);
  }

  async queryRows<R = Record<string, unknown>>(sql: string, params?: readonly PgParam[]): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  exec(sql: string): Promise<void> {
    return this.withClient((client) => handle(client, this.statements).exec(sql));
  }

  copyFrom(table: string, columns: readonly string[], data: CopyData, options?: CopyFromOptions): Promise<number> {
    return this.withClient((client) => handle(client, this.statements).copyFrom(table, columns, data, options));
  }

  transaction<T>(fn: (tx: PgQueryable) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.withClient(async (client) => {
      await client.query(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
      try {
        const result = await fn(handle(client, this.statements));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          // The connection is gone; the server rolled the transaction back when it dropped.
        }
        throw error;
      }
    });
  }

  async databaseBytes(): Promise<number> {
    const { rows } = await this.query<{ bytes: number }>('SELECT pg_database_size(current_database())::bigint AS bytes');
    return rows[0]?.bytes ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
