/**
 * The stores of a data folder as control.db records them: making the record of a move's target
 * and removing a store's data, each by asking its engine's definition (engines/registry.ts).
 */
import type { ServerKind } from '../../../shared/manager';
import type { EngineDefinition, TargetSpec } from '../engines/engine-definition';
import { ENGINES, engineOf } from '../engines/registry';
import type { ControlDb, StoreRecord } from './control-db';

export type { TargetSpec } from '../engines/engine-definition';

/** The server a store is on, by its engine's definition; null for files (and for an engine this version does not know). */
export function serverOf(record: Pick<StoreRecord, 'engine' | 'options'>): ServerKind | null {
  return (ENGINES as Record<string, EngineDefinition | undefined>)[record.engine]?.serverOf(record) ?? null;
}

/** A new, empty place for a copy, recorded as the target of a move. */
export function newTargetRecord(dataDir: string, control: ControlDb, spec: TargetSpec): StoreRecord {
  const planned = engineOf(spec.to).newTarget(dataDir, spec, Date.now().toString(36));
  return control.addTarget(spec.to, planned.location, planned.options);
}

export function storeDataExists(dataDir: string, record: StoreRecord): boolean {
  return engineOf(record.engine).presence(dataDir, record) !== 'missing';
}

export async function removeStoreData(dataDir: string, record: StoreRecord): Promise<void> {
  await engineOf(record.engine).removeData(dataDir, record);
}
