import { describe, expect, it } from 'vitest';
import type { UpdateState } from '../../../shared/ipc/updates';
import { CHECK_INTERVAL_MS, checkDecision, downloadDeferral, installDecision, parseUpdateRecord, updatesAvailability, type AvailabilityInput } from './update-policy';

const installed: AvailabilityInput = { platform: 'win32', env: {}, packaged: true, smokeTest: false, checkSetting: true };

describe('updatesAvailability', () => {
  it.each<[string, Partial<AvailabilityInput>, boolean]>([
    ['the installed Windows app', {}, true],
    ['a development run', { packaged: false }, false],
    ['a smoke test', { smokeTest: true }, false],
    ['the portable exe', { env: { PORTABLE_EXECUTABLE_DIR: 'E:\\Tools\\Strata' } }, false],
    ['an AppImage', { platform: 'linux', env: { APPIMAGE: '/home/u/Strata.AppImage' } }, true],
    ['Linux outside an AppImage', { platform: 'linux' }, false],
    ['macOS (a dmg, which cannot replace itself)', { platform: 'darwin' }, false],
    ['checks turned off by the user', { checkSetting: false }, false],
  ])('%s', (_what, input, on) => {
    const a = updatesAvailability({ ...installed, ...input });
    expect(a.on).toBe(on);
    if (!a.on) expect(a.reason.length).toBeGreaterThan(10);
  });
});

describe('checkDecision', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const idle: UpdateState = { state: 'idle', lastCheckAt: null };
  it('checks at most once a day', () => {
    expect(checkDecision({ state: idle, lastCheckAt: null, now, moves: 'idle' })).toEqual({ check: true });
    expect(checkDecision({ state: idle, lastCheckAt: now - CHECK_INTERVAL_MS + 1, now, moves: 'idle' }).check).toBe(false);
    expect(checkDecision({ state: idle, lastCheckAt: now - CHECK_INTERVAL_MS, now, moves: 'idle' }).check).toBe(true);
  });
  it('does not stop for good when the clock was set back', () => {
    expect(checkDecision({ state: idle, lastCheckAt: now + 3_600_000, now, moves: 'idle' }).check).toBe(true);
  });
  it('never checks while a move runs or when the manager did not answer', () => {
    expect(checkDecision({ state: idle, lastCheckAt: null, now, moves: 'moving' })).toEqual({ check: false, reason: 'A move between tiers is running.' });
    expect(checkDecision({ state: idle, lastCheckAt: null, now, moves: 'unknown' }).check).toBe(false);
  });
  it('does not check while off, busy, or with an update waiting; does after an error', () => {
    for (const state of [{ state: 'off', reason: 'portable' }, { state: 'checking' }, { state: 'downloading', version: '1.0.0', percent: 4 }, { state: 'available', version: '1.0.0', deferred: 'move' }, { state: 'ready', version: '1.0.0' }] satisfies UpdateState[])
      expect(checkDecision({ state, lastCheckAt: null, now, moves: 'idle' }).check).toBe(false);
    const failed: UpdateState = { state: 'error', during: 'check', version: null, error: { name: 'StrataError', code: 'io', message: 'offline' } };
    expect(checkDecision({ state: failed, lastCheckAt: now - CHECK_INTERVAL_MS, now, moves: 'idle' }).check).toBe(true);
  });
});

describe('downloadDeferral and installDecision', () => {
  const ready: UpdateState = { state: 'ready', version: '0.2.0' };
  it('downloads at once only when no move runs', () => {
    expect(downloadDeferral('idle')).toBeNull();
    expect(downloadDeferral('moving')).toMatch(/move between tiers/u);
    expect(downloadDeferral('unknown')).toMatch(/did not answer/u);
  });
  it('restarts only for a downloaded update and never during a move, saying why', () => {
    expect(installDecision(ready, 'idle')).toEqual({ ok: true });
    expect(installDecision(ready, 'moving')).toMatchObject({ ok: false, error: { name: 'StrataError', code: 'busy' } });
    expect(installDecision(ready, 'unknown')).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(installDecision({ state: 'downloading', version: '0.2.0', percent: 50 }, 'idle')).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('parseUpdateRecord', () => {
  it('reads what it wrote and survives anything else', () => {
    expect(parseUpdateRecord('{"lastCheckAt": 5, "check": false}')).toEqual({ lastCheckAt: 5, check: false });
    for (const text of [null, '', 'not json', '[]', '{"lastCheckAt": "yesterday"}', '{"lastCheckAt": -1}', 'null'])
      expect(parseUpdateRecord(text)).toEqual({ lastCheckAt: null, check: true });
  });
});
