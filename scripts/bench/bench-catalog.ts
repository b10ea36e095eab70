/** A cached benchmark catalog per (segments, seed), built once through the store API. */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../electron/db/open-store';
import { generateCatalog } from '../generate/catalog-generator';
import { log } from './bench-utils';

export interface BenchCatalogEngine {
  engine: 'sqlite' | 'sharded';
  shards?: number;
}

export async function benchCatalog(
  segments: number,
  seed: number,
  rebuild: boolean,
  engine: BenchCatalogEngine = { engine: 'sqlite' },
): Promise<string> {
  const label = engine.engine === 'sharded' ? `sharded${engine.shards ?? 4}` : 'sqlite';
  const dir = path.resolve('.bench-cache', `${label}-${segments}-${seed}`);
  const done = path.join(dir, 'complete');
  if (rebuild) fs.rmSync(dir, { recursive: true, force: true });
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  log(`building a ${segments.toLocaleString()}-segment catalog in ${dir} (cached for later runs)…`);
  const store = await openStore(dir, { engine: engine.engine, sharded: { shards: engine.shards ?? 4 } });
  const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
  await store.ingest(collection.id, generateCatalog({ segments, seed }));
  await store.close();
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}
