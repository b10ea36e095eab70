/**
 * Brings a Postgres database to the latest schema at open. Nothing is written until the
 * database has been shown to be empty or a Strata catalog this version understands: a
 * foreign or newer database is refused and left exactly as it was (the checks run inside
 * the migration transaction, which rolls back when they throw).
 */
import { StrataError } from '../../../../shared/errors';
import type { PgDriver, PgQueryable } from './pg-driver';
import { PG_LATEST_SCHEMA_VERSION, PG_MIGRATIONS, type PgSchemaOptions } from './pg-schema';

/** Advisory lock key ('STRA'): two processes opening one server database migrate one at a time. */
const MIGRATION_LOCK = 0x53545241;

export async function schemaVersionOf(tx: PgQueryable, location: string): Promise<number> {
  const { rows } = await tx.query<{ has_version: boolean; tables: number }>(
    `SELECT to_regclass('schema_version') IS NOT NULL AS has_version,
            (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())::bigint AS tables`,
  );
  const probe = rows[0] as { has_version: boolean; tables: number };
  if (!probe.has_version) {
    if (probe.tables === 0) return 0;
    throw new StrataError(
      'db-foreign',
      `The database ${location} holds tables of another program, not a Strata catalog. Strata did not change it; choose an empty database or another data folder.`,
      { location },
    );
  }
  const version = (await tx.query<{ v: number | null }>('SELECT max(version)::bigint AS v FROM schema_version')).rows[0]?.v ?? 0;
  if (version > PG_LATEST_SCHEMA_VERSION) {
    throw new StrataError(
      'db-newer',
      `The catalog ${location} was written by a newer version of Strata (schema ${version}; this version reads up to ${PG_LATEST_SCHEMA_VERSION}). Update Strata to open it; the database was not changed.`,
      { location, schemaVersion: version, supported: PG_LATEST_SCHEMA_VERSION },
    );
  }
  return version;
}

/** Runs every pending migration in one transaction; returns the schema version now in force. */
export async function migratePg(driver: PgDriver, options: PgSchemaOptions): Promise<number> {
  return driver.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const from = await schemaVersionOf(tx, driver.location);
    const pending = PG_MIGRATIONS.filter((m) => m.version > from).sort((a, b) => a.version - b.version);
    if (pending.length === 0) return from;
    if (from === 0) {
      await tx.exec('CREATE TABLE schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL, description text NOT NULL)');
    }
    for (const migration of pending) {
      await tx.exec(migration.sql(options));
      await tx.query('INSERT INTO schema_version (version, applied_at, description) VALUES ($1, $2, $3)', [
        migration.version,
        Date.now(),
        migration.description,
      ]);
    }
    return PG_LATEST_SCHEMA_VERSION;
  });
}
