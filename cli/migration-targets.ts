/**
 * The engines `strata migrate --to` names, for its usage line and its argument check. Kept here
 * rather than imported from the migration engine, whose module loads every engine: help must
 * not. migration-targets.test.ts holds the two lists equal.
 */
export const MIGRATION_TARGETS = ['sqlite', 'sharded', 'pglite', 'postgres'] as const;
