/**
 * `npm run bench -- import-stalls --segments 500000`: what an NZB import costs the thread that
 * answers calls, with no reads to share it: how long that thread's event loop is busy while a
 * generated NZB is imported into a tier-1 catalog, and how long a turn of it can be kept waiting
 * (a timer asks for a turn every millisecond; each gap is what a read arriving then would wait
 * on this thread). CPU time spent elsewhere (the parse worker, the writer thread) does not count
 * here, which makes the figures hold up on a loaded machine better than latencies do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { importNzbFile } from '../../electron/db/ingest/nzb/nzb-import';
import { openStore } from '../../electron/db/open-store';
import { writeGeneratedNzb } from '../generate/nzb-file-generator';
import { log, round, tempDir } from './bench-utils';

export async function importStallsBench(opts: { segments: number; seed: number }): Promise<Record<string, unknown>> {
  const dir = tempDir('import-stalls');
  try {
    const nzb = path.join(dir, 'import.nzb');
    log(`writing a ${opts.segments}-segment NZB…`);
    await writeGeneratedNzb(nzb, opts.segments, opts.seed);
    const store = await openStore(dir);
    try {
      const c = await store.createCollection({ name: 'import', source: 'nzb' });
      const gaps: number[] = [];
      let last = performance.now();
      let probing = true;
      const probe = (): void => {
        const now = performance.now();
        gaps.push(now - last);
        last = now;
        if (probing) setTimeout(probe, 1);
      };
      setTimeout(probe, 1);
      log('importing…');
      const loop = performance.eventLoopUtilization();
      const started = performance.now();
      const result = await importNzbFile(store, c.id, nzb);
      const wall = performance.now() - started;
      const busy = performance.eventLoopUtilization(loop);
      probing = false;
      if (result.status !== 'imported') throw new Error(`The import ended ${result.status}: ${result.error?.message ?? ''}`);
      gaps.sort((a, b) => a - b);
      const at = (q: number): number => round(gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] ?? 0, 1);
      return {
        bench: 'import-stalls',
        segments: result.segments,
        wall_ms: Math.round(wall),
        calls_thread_busy_ms: Math.round(busy.active),
        calls_thread_utilization: round(busy.utilization, 3),
        wait_p50_ms: at(0.5),
        wait_p99_ms: at(0.99),
        wait_max_ms: at(1),
        waits_over_5ms: gaps.filter((g) => g > 5).length,
        waits_over_20ms: gaps.filter((g) => g > 20).length,
      };
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
