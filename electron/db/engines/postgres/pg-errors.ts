/**
 * Turns Postgres errors (PGlite's and node-postgres' share the wire protocol's fields) into
 * the one error shape, naming the database and what to do. Only conditions a user can act on
 * are mapped; anything else stays an internal bug.
 */
import { StrataError } from '../../../../shared/errors';

interface PgLikeError {
  code?: unknown;
  message?: unknown;
  constraint?: unknown;
}

/** The SQLSTATE (or Node's errno code for a connection failure), or ''. */
export function pgCode(error: unknown): string {
  const code = (error as PgLikeError | null)?.code;
  return typeof code === 'string' ? code : '';
}

export function pgConstraint(error: unknown): string {
  const constraint = (error as PgLikeError | null)?.constraint;
  return typeof constraint === 'string' ? constraint : '';
}

const messageOf = (error: unknown): string => String((error as PgLikeError | null)?.message ?? error);

export function mapPgError(error: unknown, location: string): unknown {
  if (error instanceof StrataError) return error;
  const code = pgCode(error);
  if (code === '') return error;
  const details = { location, pgCode: code };
  const cause = { cause: error };
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
    case '08000':
    case '08003':
    case '08006':
      return new StrataError(
        'io',
        `Strata could not reach the database server ${location} (${messageOf(error)}). Check that the server is running and reachable, then try again.`,
        details,
        cause,
      );
    case '28P01':
    case '28000':
      return new StrataError(
        'io',
        `The database server ${location} refused the login (${messageOf(error)}). Check the user name and password in the connection settings.`,
        details,
        cause,
      );
    case '3D000':
      return new StrataError(
        'not-found',
        `The database ${location} does not exist. Create it on the server, or correct the connection settings.`,
        details,
        cause,
      );
    case '40P01':
    case '55P03':
    case '40001':
      return new StrataError(
        'db-locked',
        `Another connection holds the rows this change needs in ${location}. Wait a moment and try again.`,
        details,
        cause,
      );
    case '53100':
      return new StrataError(
        'disk-full',
        `The disk holding ${location} is full. The last batch was rolled back and nothing committed was lost; free some space and try again.`,
        details,
        cause,
      );
    case '25006':
    case '42501':
      return new StrataError(
        'db-readonly',
        `The database ${location} cannot be written (read-only server or missing privileges). Check the server's settings and the user's rights.`,
        details,
        cause,
      );
    case 'XX001':
    case 'XX002':
      return new StrataError(
        'db-corrupt',
        `The database ${location} is damaged (${messageOf(error)}). Restore a backup, or run an integrity check to see what is affected.`,
        details,
        cause,
      );
    case '22003':
    case '22021':
    case '22P05':
      return new StrataError('invalid-argument', `A value cannot be stored in ${location}: ${messageOf(error)}.`, details, cause);
    default:
      return error;
  }
}
