/**
 * Crashes of the sharded tier: the process is SIGKILLed at random points while ingesting
 * (including, by fault injection, between the shards' commit and the catalog's) and while
 * re-sharding. After each, the store opens, every shard agrees with the catalog, and nothing
 * committed is lost or duplicated.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../../scripts/generate/catalog-generator';
import { makeTempDir } from '../../conformance/test-engines';
import { killTrials, reportFigure } from '../../faults/kill-trials';
import { RowDigest, type RawSegment } from '../../migration/rows/row-digest';
import { bundledHelper } from '../../../../scripts/testing/bundled-helper';
import { ShardedStore } from './sharded-store';

const HELPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'sharded-until-killed.ts');

interface RunOutcome {
  lines: string[];
  killed: boolean;
}

/**
 * Runs the helper; kills it `delayMs` after the first output line matching `trigger` (or
 * lets it finish when `delayMs` is null).
 */
async function runHelper(args: string[], trigger: RegExp, delayMs: number | null, env: Record<string, string> = {}): Promise<RunOutcome> {
  const child = spawn(process.execPath, [await bundledHelper(HELPER), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  let buffered = '';
  let armed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (!armed && delayMs !== null && trigger.test(line)) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  return { lines, killed: signal === 'SIGKILL' };
}

async function segmentsDigest(store: ShardedStore): Promise<RowDigest> {
  const digest = new RowDigest();
  for await (const batch of store.streamTable('segments', { batchSize: 20_000 })) {
    for (const r of batch.rows) {
      digest.add([
        r.file_id as number,
        r.number as number,
        r.bytes as number,
        r.state as number,
        r.hash === null ? null : Buffer.from(r.hash as string, 'hex'),
        r.message_id as string | null,
        r.uploaded_at as number | null,
      ] satisfies RawSegment);
    }
  }
  return digest;
}

describe('sharded tier under SIGKILL', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(makeTempDir('sharded-kill'), 'store');
  });
  afterEach(() => {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('keeps every committed batch whole and every shard in agreement, kill after kill', async () => {
    let previousSegments = 0;
    // Kills at different batch counts and delays, so they land in different phases of a batch.
    const plans = [
      { seed: 1, after: 2, delay: 0 },
      { seed: 2, after: 1, delay: 7 },
      { seed: 3, after: 3, delay: 15 },
      { seed: 4, after: 1, delay: 3 },
      { seed: 5, after: 2, delay: 25 },
      { seed: 6, after: 4, delay: 11 },
    ];
    // The long mode (npm run test:faults -- --long) adds kills at other batch counts and delays.
    for (let i = plans.length; i < killTrials(6, 60); i++) plans.push({ seed: 10 + i, after: 1 + (i % 4), delay: (i * 7) % 30 });
    const started = performance.now();
    for (const plan of plans) {
      const run = await runHelper(['ingest', dir, String(plan.seed)], new RegExp(`^committed ${plan.after} `, 'u'), plan.delay);
      expect(run.killed).toBe(true);
      const acknowledged = run.lines.filter((l) => l.startsWith('committed ')).length;
      const store = await ShardedStore.open(dir);
      try {
        expect((await store.checkIntegrity()).problems).toEqual([]);
        const stats = await store.stats();
        const added = stats.segments - previousSegments;
        // Everything acknowledged survives; at most the batch in flight at the kill was added.
        expect(added).toBeGreaterThanOrEqual(acknowledged * 5_000);
        expect(added).toBeLessThan((acknowledged + 1) * 5_000 + 40_000);
        let streamed = 0;
        for await (const batch of store.streamTable('segments', { batchSize: 50_000 })) streamed += batch.rows.length;
        expect(streamed).toBe(stats.segments);
        previousSegments = stats.segments;
      } finally {
        await store.close();
      }
    }
    reportFigure({ suite: 'ingest', case: 'sharded, killed mid-batch', trials: plans.length, killed: plans.length, finishedFirst: 0, resumed: 0, ok: plans.length, elapsedMs: performance.now() - started });
  }, 180_000 + killTrials(6, 60) * 30_000);

  it('takes back a batch the shards committed but the catalog did not', async () => {
    const run = await runHelper(['ingest', dir, '11'], /^never$/u, null, { STRATA_CRASH_AFTER_SHARD_COMMIT: '3' });
    expect(run.killed).toBe(true);
    expect(run.lines.filter((l) => l.startsWith('committed '))).toHaveLength(2);
    const store = await ShardedStore.open(dir);
    try {
      expect((await store.checkIntegrity()).problems).toEqual([]);
      const stats = await store.stats();
      let streamed = 0;
      for await (const batch of store.streamTable('segments', { batchSize: 50_000 })) streamed += batch.rows.length;
      expect(streamed).toBe(stats.segments);
      // The two acknowledged batches, and none of the third.
      const [c] = await store.listCollections();
      expect(c?.segmentCount).toBe(stats.segments);
      expect(stats.segments).toBeGreaterThanOrEqual(2 * 5_000);
      expect(stats.segments).toBeLessThan(3 * 5_000);
    } finally {
      await store.close();
    }
  }, 180_000);

  it('survives kills at any point of a re-sharding, then finishes it', async () => {
    const seeded = await ShardedStore.open(dir, { shards: 3 });
    const c = await seeded.createCollection({ name: 'Moving', source: 'nzb' });
    await seeded.ingest(c.id, generateCatalog({ segments: 150_000, seed: 5, batchSegments: 10_000 }));
    const digest = await segmentsDigest(seeded);
    const statsBefore = await seeded.stats();
    await seeded.close();
    const kills = [
      { to: '6', trigger: /^reshard copy/u, delay: 0 },
      { to: '6', trigger: /^reshard copy/u, delay: 40 },
      { to: '2', trigger: /^reshard copy/u, delay: 20 },
      { to: '6', trigger: /^reshard verify/u, delay: 5 },
      // The cleanup of 150,000 rows takes a few milliseconds: kill as soon as it starts.
      { to: '6', trigger: /^reshard cleanup/u, delay: 0 },
    ];
    for (const kill of kills) {
      const run = await runHelper(['reshard', dir, kill.to], kill.trigger, kill.delay);
      // A kill that came too late would make this case prove nothing.
      expect(run.killed, `killed during ${String(kill.trigger)} + ${kill.delay} ms`).toBe(true);
      const store = await ShardedStore.open(dir);
      try {
        expect((await store.checkIntegrity()).problems).toEqual([]);
        expect((await segmentsDigest(store)).equals(digest)).toBe(true);
        expect({ ...(await store.stats()), dbBytes: 0 }).toEqual({ ...statsBefore, dbBytes: 0 });
      } finally {
        await store.close();
      }
    }
    const done = await runHelper(['reshard', dir, '5'], /^never$/u, null);
    expect(done.lines).toContain('reshard finished');
    const store = await ShardedStore.open(dir);
    try {
      expect(store.shardCount).toBe(5);
      expect((await store.checkIntegrity()).problems).toEqual([]);
      expect((await segmentsDigest(store)).equals(digest)).toBe(true);
    } finally {
      await store.close();
    }
  }, 600_000);
});
