/**
 * Connection strings for the portable server: the full one for the app's own driver and for a
 * user who wants psql or another tool, and one with the password masked for showing on screen
 * or writing to a log.
 */
export interface ConnectionParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function connectionString({ host, port, user, password, database }: ConnectionParts): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(database)}`;
}

export const MASK = '********';

export function maskedConnectionString(parts: ConnectionParts): string {
  return connectionString({ ...parts, password: MASK }).replace(encodeURIComponent(MASK), MASK);
}
