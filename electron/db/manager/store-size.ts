/**
 * How much disk a store takes in the data folder: what removing it frees. A database on a
 * server is not measured here (its space is the server's, and asking would start it).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EngineDefinition } from '../engines/engine-definition';
import { ENGINES } from '../engines/registry';
import type { StoreRecord } from './control-db';

function bytesUnder(where: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(where);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  let total = 0;
  for (const entry of fs.readdirSync(where)) total += bytesUnder(path.join(where, entry));
  return total;
}

export function storeDiskBytes(dataDir: string, record: Pick<StoreRecord, 'engine' | 'location' | 'options'>): number | null {
  const engine = (ENGINES as Record<string, EngineDefinition | undefined>)[record.engine];
  // An engine this version does not know: whatever is at its place.
  const paths = engine ? engine.dataPaths(dataDir, record) : [path.resolve(dataDir, record.location)];
  return paths === null ? null : paths.reduce((sum, where) => sum + bytesUnder(where), 0);
}
