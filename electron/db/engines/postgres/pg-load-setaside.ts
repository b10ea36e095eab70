/**
 * A bulk load into an empty Postgres catalog runs without indexes, unique and primary keys
 * and foreign keys: maintaining them row by row (eleven files indexes, the GIN index, a
 * primary-key B-tree per segments partition, three foreign-key checks per files row) costs
 * far more than building each once from the loaded table and validating each foreign key
 * with one join. What is set aside is written, in the same transaction that drops it, into a
 * table of the target itself, so a load killed halfway still knows what to restore when it
 * resumes; each table is restored in one transaction that also forgets its record, so a
 * table has either all of its indexes and keys or a record of what it lacks.
 */
import { TABLES, type TableName } from '../../store';
import type { PgQueryable } from './pg-driver';

const SETASIDE_TABLE = 'strata_load_setaside';

type Kind = 'key' | 'index' | 'foreign-key';

interface SetAside {
  kind: Kind;
  table_name: string;
  name: string;
  definition: string;
}

/** Restored in this order: keys first, because foreign keys need the referenced key's index. */
const RESTORE_ORDER: readonly Kind[] = ['key', 'index', 'foreign-key'];

export async function isSetAside(q: PgQueryable): Promise<boolean> {
  const rows = await q.queryRows<{ present: boolean }>(`SELECT to_regclass('${SETASIDE_TABLE}') IS NOT NULL AS present`);
  return rows[0]?.present === true;
}

/** Drops the catalog's indexes, keys and foreign keys, recording them; the caller's transaction holds it. */
export async function setAsideIndexes(q: PgQueryable): Promise<number> {
  const tables = [...TABLES];
  const constraints = await q.queryRows<SetAside>(
    `SELECT CASE WHEN k.contype = 'f' THEN 'foreign-key' ELSE 'key' END AS kind, c.relname AS table_name, k.conname AS name,
            pg_get_constraintdef(k.oid) AS definition
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
      WHERE k.contype IN ('p', 'u', 'f') AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])`,
    [tables],
  );
  const indexes = await q.queryRows<SetAside>(
    `SELECT 'index' AS kind, c.relname AS table_name, i.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class c ON c.oid = x.indrelid
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
    [tables],
  );
  await q.exec(`CREATE TABLE ${SETASIDE_TABLE} (kind text NOT NULL, table_name text NOT NULL, name text NOT NULL, definition text NOT NULL)`);
  const all = [...constraints, ...indexes];
  for (const item of all) {
    await q.query(`INSERT INTO ${SETASIDE_TABLE} (kind, table_name, name, definition) VALUES ($1, $2, $3, $4)`, [item.kind, item.table_name, item.name, item.definition]);
  }
  // Foreign keys before the keys they reference.
  for (const kind of ['foreign-key', 'key'] as const) {
    for (const item of constraints.filter((c) => c.kind === kind)) await q.exec(`ALTER TABLE ${item.table_name} DROP CONSTRAINT ${item.name}`);
  }
  if (indexes.length > 0) await q.exec(`DROP INDEX ${indexes.map((i) => i.name).join(', ')}`);
  return all.length;
}

/**
 * Builds what `setAsideIndexes` dropped for one table and forgets it; the caller's transaction
 * holds it. The tables a foreign key references must have been restored before.
 */
export async function restoreTableIndexes(q: PgQueryable, table: TableName): Promise<void> {
  if (!(await isSetAside(q))) return;
  // Locked, so a second restorer of the same table (a cancelled load's rebuild still running
  // beside the resumed load's) waits for the first to commit and then finds nothing left.
  const items = await q.queryRows<SetAside>(`SELECT kind, table_name, name, definition FROM ${SETASIDE_TABLE} WHERE table_name = $1 FOR UPDATE`, [table]);
  for (const kind of RESTORE_ORDER) {
    for (const item of items.filter((i) => i.kind === kind)) {
      await q.exec(kind === 'index' ? item.definition : `ALTER TABLE ${item.table_name} ADD CONSTRAINT ${item.name} ${item.definition}`);
    }
  }
  await q.query(`DELETE FROM ${SETASIDE_TABLE} WHERE table_name = $1`, [table]);
}

/** Restores every table still set aside, parents first, and removes the record. */
export async function restoreAllIndexes(q: PgQueryable): Promise<void> {
  if (!(await isSetAside(q))) return;
  for (const table of TABLES) await restoreTableIndexes(q, table);
  await q.exec(`DROP TABLE ${SETASIDE_TABLE}`);
}
