/**
 * `npm run bench -- pragmas --segments N`: query latencies under several page-cache and mmap
 * sizes, each in a fresh process, to choose DEFAULT_TUNING by measurement.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCatalog } from './bench-catalog';
import { log, runChild } from './bench-utils';

const PHASE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pragmas-phase.ts');
const CONFIGS = [
  { cache: 2, mmap: 0 },
  { cache: 16, mmap: 0 },
  { cache: 64, mmap: 0 },
  { cache: 64, mmap: 256 },
  { cache: 256, mmap: 0 },
  { cache: 64, mmap: 2000 },
];

export async function pragmasBench(opts: { segments: number; seed: number; samples: number; rebuild: boolean }): Promise<Record<string, unknown>> {
  const dir = await benchCatalog(opts.segments, opts.seed, opts.rebuild);
  const results: Record<string, unknown>[] = [];
  for (const c of CONFIGS) {
    log(`cache ${c.cache} MiB, mmap ${c.mmap} MiB…`);
    const r = await runChild(PHASE, ['--dir', dir, '--cache', String(c.cache), '--mmap', String(c.mmap), '--samples', String(opts.samples), '--seed', String(opts.seed)]);
    log(`  ${JSON.stringify(r)}`);
    results.push({ cache_mib: c.cache, mmap_mib: c.mmap, ...r });
  }
  return { bench: 'pragmas', segments: opts.segments, results };
}
