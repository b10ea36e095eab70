/** The planner as a table: measured situations in, recommendations out, no database. */
import { describe, expect, it } from 'vitest';
import { planTier, type PlannerInput, type Recommendation } from './plan-tier';

const base: PlannerInput = {
  engine: 'sqlite',
  shards: null,
  segments: 500_000,
  files: 18_000,
  rows: 540_000,
  dbBytes: 45e6,
  segmentsAddedPerDay: 0,
  segmentLookupP99Ms: 0.4,
  freeDiskBytes: 100e9,
  cores: 2,
  portableServerAvailable: true,
  needsSharedAccess: false,
};

const big = { segments: 12_000_000, files: 430_000, rows: 12_900_000, dbBytes: 1.06e9 };

const cases: { name: string; input: Partial<PlannerInput>; expect: Partial<Recommendation> & { engine?: string; shards?: number } }[] = [
  { name: 'a small one-file catalog stays', input: {}, expect: { action: 'stay' } },
  { name: 'a big but quiet one-file catalog stays', input: { ...big }, expect: { action: 'stay' } },
  { name: 'a big, busy one-file catalog shards, automatically', input: { ...big, segmentsAddedPerDay: 3_000_000 }, expect: { action: 'move', engine: 'sharded', shards: 4, automatic: true } },
  { name: 'slow lookups on a big one-file catalog shard it', input: { ...big, segmentLookupP99Ms: 12 }, expect: { action: 'move', engine: 'sharded', automatic: true } },
  { name: 'one core never shards', input: { ...big, segmentsAddedPerDay: 3_000_000, cores: 1 }, expect: { action: 'stay' } },
  { name: 'a busy small catalog stays on one file', input: { segmentsAddedPerDay: 5_000_000 }, expect: { action: 'stay' } },
  { name: 'shared access asks for a server', input: { needsSharedAccess: true }, expect: { action: 'move', engine: 'postgres', automatic: false } },
  { name: 'a tiny sharded store is offered one file, never automatically', input: { engine: 'sharded', shards: 4, segments: 50_000, rows: 55_000 }, expect: { action: 'move', engine: 'sqlite', automatic: false } },
  { name: 'a sharded store with too few shards for the cores reshards', input: { ...big, engine: 'sharded', shards: 2, cores: 8 }, expect: { action: 'reshard', engine: 'sharded', shards: 16, automatic: true } },
  { name: 'a sharded store with the right shards stays', input: { ...big, engine: 'sharded', shards: 4 }, expect: { action: 'stay' } },
  { name: 'a big store on PostgreSQL without shared access is offered sharding, asked', input: { ...big, engine: 'postgres' }, expect: { action: 'move', engine: 'sharded', automatic: false } },
  { name: 'PostgreSQL with shared access stays', input: { ...big, engine: 'postgres', needsSharedAccess: true }, expect: { action: 'stay' } },
];

describe('planTier', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rec = planTier({ ...base, ...c.input });
      expect(rec.action).toBe(c.expect.action);
      if (c.expect.engine) expect(rec.target?.engine).toBe(c.expect.engine);
      if (c.expect.shards) expect(rec.target?.shards).toBe(c.expect.shards);
      if (c.expect.automatic !== undefined) expect(rec.automatic).toBe(c.expect.automatic);
      expect(rec.reasons.length).toBeGreaterThan(0);
      if (rec.action !== 'stay') expect(rec.estimate?.ms).toBeGreaterThan(0);
    });
  }

  it('estimates time and disk from the measured rates, and holds a move the disk cannot take', () => {
    const rec = planTier({ ...base, ...big, segmentsAddedPerDay: 3_000_000 });
    // 12.9M rows at 119,000 rows/s.
    expect(rec.estimate?.ms).toBe(Math.round((12_900_000 / 119_000) * 1000));
    // 12.9M rows at 80 bytes each into sharded SQLite, a quarter more for safety, and its floor.
    expect(rec.estimate?.diskBytes).toBe(1e6 + 12_900_000 * 80 * 1.25 + 16e6);
    const tight = planTier({ ...base, ...big, segmentsAddedPerDay: 3_000_000, freeDiskBytes: 1e9 });
    expect(tight.action).toBe('move');
    expect(tight.automatic).toBe(false);
    expect(tight.blockedBy).toMatch(/1\.3 GB/u);
  });
});
