/**
 * Faults while writing: a process killed mid-ingest, a full disk, a delete interrupted by a
 * crash. After each, the catalog opens, passes its integrity check, and its counters match
 * its rows.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../../shared/errors';
import { makeTempDir } from '../../conformance/test-engines';
import { killTrials, reportFigure } from '../../faults/kill-trials';
import { segmentsOf } from '../../conformance/fixtures';
import { SqliteStore } from './sqlite-store';
import { bundledHelper } from '../../../../scripts/testing/bundled-helper';

const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'ingest-until-killed.ts');

/** Runs the ingest helper and SIGKILLs it once it has committed `afterBatches` batches. */
async function killDuringIngest(file: string, seed: number, afterBatches: number): Promise<number> {
  const child = spawn(process.execPath, [await bundledHelper(HELPER), file, String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let committed = 0;
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^committed (\d+)/u.exec(line);
        if (m) committed = Number(m[1]);
      }
      if (committed >= afterBatches) {
        child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`helper exited with ${code}`))));
  });
  return committed;
}

describe('faults while writing', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('faults');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a process killed mid-ingest leaves every committed batch and consistent counters, run after run', async () => {
    const file = path.join(dir, 'strata.db');
    let previousSegments = 0;
    const started = performance.now();
    const plans: (readonly [number, number])[] = [
      [1, 2],
      [2, 5],
      [3, 1],
      [4, 7],
    ];
    // The long mode (npm run test:faults -- --long) adds kills after 1 to 8 batches.
    for (let i = plans.length; i < killTrials(4, 40); i++) plans.push([10 + i, 1 + ((i * 3) % 8)]);
    for (const [seed, batches] of plans) {
      const committed = await killDuringIngest(file, seed, batches);
      expect(committed).toBeGreaterThanOrEqual(batches);
      const store = await SqliteStore.open(file);
      try {
        const report = await store.checkIntegrity();
        expect(report.problems).toEqual([]);
        const stats = await store.stats();
        // At least what the helper saw committed; at most one more batch (killed after its commit).
        expect(stats.segments - previousSegments).toBeGreaterThanOrEqual(committed * 5_000);
        expect(stats.segments - previousSegments).toBeLessThan((committed + 2) * 5_000 + 40_000);
        let rows = 0;
        for await (const batch of store.streamTable('segments', { batchSize: 50_000 })) rows += batch.rows.length;
        expect(rows).toBe(stats.segments);
        previousSegments = stats.segments;
      } finally {
        await store.close();
      }
    }
    reportFigure({ suite: 'ingest', case: 'tier 1, killed after n batches', trials: plans.length, killed: plans.length, finishedFirst: 0, resumed: 0, ok: plans.length, elapsedMs: performance.now() - started });
  }, 120_000 + killTrials(4, 40) * 30_000);

  it('finishes a delete that a crash interrupted, at the next open', async () => {
    const file = path.join(dir, 'strata.db');
    let store = await SqliteStore.open(file);
    const keep = await store.createCollection({ name: 'Keep', source: 'nzb' });
    const gone = await store.createCollection({ name: 'Gone', source: 'nzb' });
    const files = (prefix: string) => Array.from({ length: 30 }, (_, i) => ({ path: `${prefix}/f${i}.bin`, size: 10, segments: segmentsOf(3, 5) }));
    await store.ingest(keep.id, [{ files: files('k') }]);
    await store.ingest(gone.id, [{ files: files('g') }]);
    await store.close();
    // What a crash between delete chunks leaves: the mark set, some files already removed.
    const db = new Database(file);
    db.prepare('UPDATE collections SET deleting = 1 WHERE id = ?').run(gone.id);
    db.prepare('DELETE FROM segments WHERE file_id IN (SELECT id FROM files WHERE collection_id = ? LIMIT 10)').run(gone.id);
    db.close();
    store = await SqliteStore.open(file);
    try {
      expect((await store.listCollections()).map((c) => c.name)).toEqual(['Keep']);
      expect(await store.stats()).toMatchObject({ collections: 1, files: 30, segments: 90 });
      expect((await store.checkIntegrity()).problems).toEqual([]);
      const leftovers = new Database(file, { readonly: true });
      try {
        expect(leftovers.prepare('SELECT count(*) FROM files WHERE collection_id = ?').pluck().get(gone.id)).toBe(0);
        expect(leftovers.prepare('SELECT count(*) FROM folders WHERE collection_id = ?').pluck().get(gone.id)).toBe(0);
      } finally {
        leftovers.close();
      }
    } finally {
      await store.close();
    }
  });

  describe('a full disk', () => {
    let mountPoint: string | null = null;
    afterEach(() => {
      if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
      mountPoint = null;
    });

    // A real full disk needs a small filesystem; mounting one needs root (as in CI here).
    const canMount = process.getuid?.() === 0;
    it.runIf(canMount)('rolls back the batch that did not fit and names the disk, keeping every earlier batch', async () => {
      mountPoint = path.join(dir, 'small-disk');
      fs.mkdirSync(mountPoint);
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mountPoint]);
      const file = path.join(mountPoint, 'strata.db');
      const store = await SqliteStore.open(file);
      const c = await store.createCollection({ name: 'Full', source: 'nzb' });
      let committedSegments = 0;
      let failure: unknown;
      try {
        for (let b = 0; b < 1000; b++) {
          const batch = { files: Array.from({ length: 20 }, (_, i) => ({ path: `b${b}/f${i}.bin`, size: 1, segments: segmentsOf(50, 768_000, `b${b}.f${i}`) })) };
          await store.ingest(c.id, [batch]);
          committedSegments += 1000;
        }
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(StrataError);
      expect((failure as StrataError).code).toBe('disk-full');
      expect((failure as StrataError).message).toContain(file);
      expect(committedSegments).toBeGreaterThan(0);
      expect((await store.stats()).segments).toBe(committedSegments);
      expect((await store.checkIntegrity()).problems).toEqual([]);
      await store.close().catch(() => undefined);
      // Moved to a disk with room, the catalog opens with exactly the committed batches.
      const safe = path.join(dir, 'moved');
      fs.mkdirSync(safe);
      for (const name of fs.readdirSync(mountPoint)) fs.copyFileSync(path.join(mountPoint, name), path.join(safe, name));
      const reopened = await SqliteStore.open(path.join(safe, 'strata.db'));
      try {
        expect((await reopened.stats()).segments).toBe(committedSegments);
        expect((await reopened.checkIntegrity()).problems).toEqual([]);
      } finally {
        await reopened.close();
      }
    });
  });
});
