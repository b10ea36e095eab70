/**
 * The verdict on an existing server's connection string, given when the user enters it and
 * before anything is written: can Strata reach and log in to it (TLS as the string's sslmode
 * says), is its PostgreSQL version one the dialect supports, may this login create tables in
 * that database, and is the Citus extension there (and so: how Strata would keep its segments).
 */
import pg from 'pg';
import { describeConnection } from './node-pg-driver';
import { mapPgError } from './pg-errors';
import { DEFAULT_SEGMENT_PARTITIONS } from './pg-schema';
import { chooseSegmentsLayout, detectCitus, type CitusState } from './pg-segments-layout';

/** The oldest major version the dialect is tested against or uses features of (hash partitions, websearch-free tsquery, ON CONFLICT). */
export const MIN_SERVER_MAJOR = 14;

export interface ServerVerdict {
  /** True when Strata can keep its catalog there. */
  ok: boolean;
  server: string;
  reachable: boolean;
  version: string | null;
  versionSupported: boolean;
  canCreateTables: boolean;
  citus: CitusState;
  /** How a catalog created there keeps its segments (pg-segments-layout.ts). */
  segments: 'hash-partitions' | 'citus-distributed';
  /** Things worth knowing that are not problems, each a sentence. */
  notes: string[];
  /** One sentence per problem, each saying what to do. */
  problems: string[];
}

export interface CheckServerOptions {
  timeoutMs?: number;
  /**
   * The check was asked by a remote client of the headless host, from a machine that may not
   * reach the host's network itself. The verdict then says only what a PostgreSQL server
   * answered: a failure below the protocol (refused, timed out, no such host, a service that is
   * not PostgreSQL) gets one message, so the host cannot be used to map which hosts and ports
   * of its network are open.
   */
  remote?: boolean;
}

/** A PostgreSQL server's own refusal (wrong password, no such database) carries a five-character SQLSTATE. */
const fromServer = (error: unknown): boolean => typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/u.test((error as { code: string }).code);

export async function checkServer(connectionString: string, options: CheckServerOptions = {}): Promise<ServerVerdict> {
  const verdict: ServerVerdict = {
    ok: false,
    server: describeConnection(connectionString),
    reachable: false,
    version: null,
    versionSupported: false,
    canCreateTables: false,
    citus: 'absent',
    segments: 'hash-partitions',
    notes: [],
    problems: [],
  };
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: options.timeoutMs ?? 10_000 });
  try {
    await client.connect();
  } catch (error) {
    if (options.remote === true && !fromServer(error)) {
      verdict.problems.push(
        `No PostgreSQL server answered at ${verdict.server}. Check the host name, the port and that the server accepts connections from the machine Strata's host runs on (the host does not tell a remote page why a connection failed; strata check-server on that machine does).`,
      );
      return verdict;
    }
    const mapped = mapPgError(error, verdict.server);
    verdict.problems.push(mapped instanceof Error ? mapped.message : `Strata could not connect to ${verdict.server}.`);
    return verdict;
  }
  try {
    verdict.reachable = true;
    const version = (await client.query<{ server_version: string; num: string }>("SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS num")).rows[0];
    verdict.version = version?.server_version ?? null;
    const major = Math.floor(Number(version?.num ?? 0) / 10_000);
    verdict.versionSupported = major >= MIN_SERVER_MAJOR;
    if (!verdict.versionSupported) {
      verdict.problems.push(`The server runs PostgreSQL ${verdict.version ?? '?'}; Strata needs ${MIN_SERVER_MAJOR} or newer. Upgrade the server or use the portable server that comes with Strata.`);
    }
    // Tried for real inside a transaction that is rolled back: privileges can come from roles,
    // defaults and schema ownership in ways no single catalog query shows.
    await client.query('BEGIN');
    try {
      await client.query('CREATE TABLE strata_permission_probe (id bigint PRIMARY KEY)');
      verdict.canCreateTables = true;
    } catch (error) {
      verdict.problems.push(
        `The login may not create tables in this database (${(error as Error).message}). Ask the server's administrator for CREATE on the database's schema, or connect as its owner.`,
      );
    } finally {
      await client.query('ROLLBACK');
    }
    verdict.citus = await detectCitus(async <R>(sql: string) => (await client.query(sql)).rows as R[]);
    verdict.segments = chooseSegmentsLayout(verdict.citus, DEFAULT_SEGMENT_PARTITIONS).kind === 'distributed' ? 'citus-distributed' : 'hash-partitions';
    if (verdict.citus === 'installed') {
      verdict.notes.push('Citus is created in this database: Strata will distribute its segments table by file_id over the cluster.');
    } else if (verdict.citus === 'available') {
      verdict.notes.push(
        "Citus is installed on the server but not created in this database, so segments will be kept in hash partitions on this server. To distribute them, have the server's administrator run CREATE EXTENSION citus in this database (with citus in shared_preload_libraries) before Strata creates its catalog.",
      );
    }
  } finally {
    await client.end();
  }
  verdict.ok = verdict.reachable && verdict.versionSupported && verdict.canCreateTables;
  return verdict;
}
