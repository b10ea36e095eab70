/** Every engine Strata can open, by name: the one list the rest of the code asks. */
import type { EngineName } from '../../../shared/domain';
import { invalidArgument } from '../../../shared/errors';
import type { EngineDefinition } from './engine-definition';
import { pgliteEngine } from './postgres/pglite-definition';
import { postgresEngine } from './postgres/postgres-definition';
import { shardedEngine } from './sharded/definition';
import { sqliteEngine } from './sqlite/definition';

export const ENGINES: { readonly [E in EngineName]: EngineDefinition } = {
  sqlite: sqliteEngine,
  sharded: shardedEngine,
  pglite: pgliteEngine,
  postgres: postgresEngine,
};

/** The definition of an engine a record names; records written by a later version may name one this version does not know. */
export function engineOf(name: string): EngineDefinition {
  const engine = (ENGINES as Record<string, EngineDefinition | undefined>)[name];
  if (!engine) throw invalidArgument(`The ${name} engine is not available in this version of Strata.`);
  return engine;
}
