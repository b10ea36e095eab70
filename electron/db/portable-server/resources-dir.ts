import path from 'node:path';

/**
 * The packed server's folder: set by Electron main for the database process (see
 * electron/main/bundled-postgres.ts); a source checkout falls back to its resources/postgres.
 * Apart from the server's code, so that asking whether it is there (the planner) loads nothing.
 */
export function postgresResourcesDir(): string {
  return process.env.STRATA_POSTGRES_RESOURCES ?? path.resolve('resources', 'postgres');
}
