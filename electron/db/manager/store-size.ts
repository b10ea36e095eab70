/**
 * How much disk a store takes in the data folder: what removing it frees. A database on a
 * server is not measured here (its space is the server's, and asking would start it).
 */
import fs from 'node:fs';
import path from 'node:path';
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

export function storeDiskBytes(dataDir: string, record: Pick<StoreRecord, 'engine' | 'location'>): number | null {
  if (record.engine === 'postgres') return null;
  const where = path.resolve(dataDir, record.location);
  if (record.engine !== 'sqlite') return bytesUnder(where);
  // A one-file store counts its journal files too.
  return ['', '-wal', '-shm'].reduce((sum, suffix) => sum + bytesUnder(`${where}${suffix}`), 0);
}
