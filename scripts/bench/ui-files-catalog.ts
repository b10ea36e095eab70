/** The UI bench's catalog: ~N files in one collection (one segment per file), cached per (N, seed). */
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../electron/db/open-store';
import { generateCatalog } from '../generate/catalog-generator';
import { log } from './bench-utils';

export async function uiFilesCatalog(files: number, seed: number, rebuild: boolean): Promise<string> {
  const dir = path.resolve('.bench-cache', `ui-files-${files}-${seed}`);
  const done = path.join(dir, 'complete');
  if (rebuild) fs.rmSync(dir, { recursive: true, force: true });
  if (fs.existsSync(done)) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  log(`ui: generating a catalog of ${files.toLocaleString('en')} files in ${dir} (cached for later runs)…`);
  const store = await openStore(dir, { engine: 'sqlite' });
  const collection = await store.createCollection({ name: 'A million files', source: 'nzb' });
  // A segment larger than any generated file: one segment per file, so N segments are ~N files.
  await store.ingest(collection.id, generateCatalog({ segments: files, seed, segmentBytes: 1e13 }));
  await store.close();
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}
