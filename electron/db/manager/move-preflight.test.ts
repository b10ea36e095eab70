import { describe, expect, it } from 'vitest';
import type { PlannerInput } from '../planner/plan-tier';
import { preflightMove } from './move-preflight';

const input = (over: Partial<PlannerInput> = {}): PlannerInput => ({
  engine: 'sqlite',
  shards: null,
  segments: 1_000_000,
  files: 25_000,
  rows: 1_078_147,
  dbBytes: 200e6,
  segmentsAddedPerDay: 0,
  segmentLookupP99Ms: null,
  freeDiskBytes: 50e9,
  cores: 2,
  portableServerAvailable: true,
  needsSharedAccess: false,
  ...over,
});
const idle = { moving: false, activeServer: null };

describe('preflightMove', () => {
  it('needs the measured bytes per row of the target beside the catalog, and takes the measured copy rate', () => {
    const p = preflightMove(input(), { to: 'sharded', shards: 4 }, idle);
    expect(p).toMatchObject({ kind: 'migrate', to: { engine: 'sharded', shards: 4 }, neededBytes: 1e6 + 1_078_147 * 80 * 1.25 + 16e6, freeBytes: 50e9, fits: true, refusal: null, remote: false });
    expect(p.estimateMs).toBe(Math.round((1_078_147 / 119_000) * 1000));
  });

  it('refuses, with both figures, a move that does not fit on the disk', () => {
    const p = preflightMove(input({ freeDiskBytes: 100e6 }), { to: 'pglite' }, idle);
    expect(p.fits).toBe(false);
    expect(p.refusal).toMatch(/470\.5 MB free .* has 100\.0 MB/u);
  });

  it('asks PGlite for more than three times the room SQLite needs for the same rows', () => {
    const pglite = preflightMove(input(), { to: 'pglite' }, idle).neededBytes;
    const sharded = preflightMove(input(), { to: 'sharded', shards: 4 }, idle).neededBytes;
    expect(pglite / sharded).toBeGreaterThan(3);
  });

  it('needs no room here for an existing server, and says where the room must be', () => {
    const p = preflightMove(input({ freeDiskBytes: 0 }), { to: 'postgres', url: 'postgresql://u@h/db' }, idle);
    expect(p).toMatchObject({ server: 'existing', remote: true, neededBytes: 0, fits: true, refusal: null });
    expect(p.notes.join(' ')).toMatch(/server’s own disk/u);
  });

  it('refuses the tier the catalog is on, and the bundled server when it is not installed', () => {
    expect(preflightMove(input(), { to: 'sqlite' }, idle).refusal).toMatch(/already on one SQLite file/u);
    expect(preflightMove(input({ portableServerAvailable: false }), { to: 'postgres' }, idle).refusal).toMatch(/not part of this installation/u);
    // The bundled server to an existing one is a move, not the same tier.
    expect(preflightMove(input({ engine: 'postgres' }), { to: 'postgres', url: 'postgresql://h/db' }, { moving: false, activeServer: 'portable' }).refusal).toBeNull();
  });

  it('re-shards in place, counting only the rows whose shard changes', () => {
    const p = preflightMove(input({ engine: 'sharded', shards: 4 }), { to: 'sharded', shards: 8 }, idle);
    expect(p).toMatchObject({ kind: 'reshard', rows: 500_000, neededBytes: 100e6, refusal: null });
    expect(preflightMove(input({ engine: 'sharded', shards: 4 }), { to: 'sharded', shards: 4 }, idle).refusal).toMatch(/already has 4 shards/u);
  });

  it('refuses anything while a move runs', () => {
    expect(preflightMove(input(), { to: 'sharded' }, { moving: true, activeServer: null }).refusal).toMatch(/move is running/u);
  });
});
