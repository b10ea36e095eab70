import { describe, expect, it } from 'vitest';
import type { ManagerSettings, MoveProgress, Recommendation } from '../../../../shared/manager';
import { BAR_STEPS, moveBannerState, moveTitle, movingFigures, waitsForConsent, type MoveBannerInput } from './move-banner-state';

const ask: ManagerSettings = { simpleMoves: 'ask', otherMoves: 'ask', sharedAccess: false };
const auto: ManagerSettings = { ...ask, simpleMoves: 'automatic' };
const toSharded: Recommendation = { action: 'move', target: { engine: 'sharded', shards: 4 }, automatic: true, reasons: ['Imports are frequent and large.'], estimate: null, blockedBy: null };
const toPostgres: Recommendation = { ...toSharded, target: { engine: 'postgres' }, automatic: false };
const stay: Recommendation = { action: 'stay', target: null, automatic: false, reasons: ['Lookups are fast.'], estimate: null, blockedBy: null };

const copying: MoveProgress = {
  kind: 'migrate',
  from: { engine: 'sqlite', location: 'strata.db', server: null },
  to: { engine: 'sharded', shards: 4 },
  automatic: true,
  phase: 'copy',
  table: 'segments',
  rows: 400_000,
  totalRows: 1_000_000,
  bytes: 0,
  rowsPerSecond: 200_000,
  etaMs: 3_000,
  elapsedMs: 2_000,
};

const idle = (over: Partial<NonNullable<MoveBannerInput['status']>> = {}): MoveBannerInput['status'] => ({ activity: 'idle', interrupted: null, recommendation: null, settings: ask, ...over });
const input = (over: Partial<MoveBannerInput> = {}): MoveBannerInput => ({ onWizard: false, status: idle(), progress: null, heard: null, dismissed: null, ...over });

describe('the move banner', () => {
  it('announces a move the manager started by itself, from its progress events, titled as automatic', () => {
    const shown = moveBannerState(input({ status: idle({ activity: 'moving' }), progress: copying }));
    expect(shown.kind).toBe('moving');
    expect(shown.kind === 'moving' && moveTitle(shown.progress)).toBe('Move the catalog to sharded SQLite (4 shards) (automatic)');
    // Before the status poll catches up, the progress event alone is enough to show it.
    expect(moveBannerState(input({ status: idle(), progress: copying })).kind).toBe('moving');
  });

  it('drops the move when it ended (its last event says done and the manager is idle), and leaves the wizard to show it there', () => {
    expect(moveBannerState(input({ progress: { ...copying, phase: 'done' } })).kind).toBe('none');
    expect(moveBannerState(input({ onWizard: true, status: idle({ activity: 'moving' }), progress: copying })).kind).toBe('none');
  });

  it('shows an interrupted move (paused or cut short) before any recommendation', () => {
    const interrupted = { to: { engine: 'pglite' as const, location: 'stores/pglite-x', server: null }, paused: true, reason: 'Cancelled.' };
    const shown = moveBannerState(input({ status: idle({ interrupted, recommendation: toPostgres }) }));
    expect(shown).toEqual({ kind: 'interrupted', interrupted });
  });

  it('asks for consent exactly when the manager would not act by itself', () => {
    // The policy says ask: a notice that opens the wizard.
    expect(moveBannerState(input({ status: idle({ recommendation: toSharded }) }))).toMatchObject({ kind: 'consent', recommendation: { target: { engine: 'sharded' } } });
    // Simple moves run by themselves: nothing to ask (the banner appears when the move starts).
    expect(moveBannerState(input({ status: idle({ recommendation: toSharded, settings: auto }) })).kind).toBe('none');
    // Moves to PostgreSQL always wait under this policy, even with simple moves automatic.
    expect(moveBannerState(input({ status: idle({ recommendation: toPostgres, settings: auto }) })).kind).toBe('consent');
    // Blocked by the disk: asked whatever the policy, the reason included.
    expect(waitsForConsent({ ...toSharded, blockedBy: 'needs 3 GB more free disk' }, auto)).toBe(true);
    expect(waitsForConsent(stay, ask)).toBe(false);
    expect(waitsForConsent(toSharded, undefined)).toBe(false);
  });

  it('takes the advice the manager announced (manager/recommendation) over the status, and forgets only the advice put away', () => {
    const shown = moveBannerState(input({ status: idle({ recommendation: null }), heard: toPostgres }));
    expect(shown).toMatchObject({ kind: 'consent', key: JSON.stringify({ engine: 'postgres' }) });
    expect(moveBannerState(input({ heard: toPostgres, dismissed: JSON.stringify({ engine: 'postgres' }) })).kind).toBe('none');
    // A different target after "Not now" is new advice: shown again.
    expect(moveBannerState(input({ heard: toSharded, dismissed: JSON.stringify({ engine: 'postgres' }) })).kind).toBe('consent');
    expect(moveBannerState(input({ heard: stay })).kind).toBe('none');
  });
});

describe("the banner's figures of a move", () => {
  it('say the phase, the table, the share done and the time left, and give the bar its step', () => {
    const f = movingFigures(copying);
    expect(f.title).toBe('Move the catalog to sharded SQLite (4 shards) (automatic)');
    expect(f.figures).toBe('Copying · segments · 33% · 3 s left · Browsing works; changes wait until it ends.');
    // The copy is 2-80 % of the whole move: 40 % of the rows is 33.2 % of it.
    expect(f.barStep).toBe(332);
    expect(f.barStep).toBeLessThanOrEqual(BAR_STEPS);
    expect(movingFigures({ ...copying, etaMs: null, table: null }).figures).toBe('Copying · 33% · Browsing works; changes wait until it ends.');
  });

  it('are equal for reports that read the same on screen, so the banner renders only when they differ', () => {
    const a = movingFigures(copying);
    // 100 rows more of a million moves the bar by less than one of its steps.
    expect(movingFigures({ ...copying, rows: copying.rows + 100, elapsedMs: 2_250 })).toEqual(a);
    expect(movingFigures({ ...copying, rows: copying.rows + 20_000 }).barStep).toBeGreaterThan(a.barStep);
    expect(movingFigures({ ...copying, etaMs: 65_000 }).figures).toContain('1 min 05 s left');
  });
});
