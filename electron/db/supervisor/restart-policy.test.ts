import { describe, expect, it } from 'vitest';
import { restartDecision } from './restart-policy';

describe('restartDecision', () => {
  it('restarts at once after a first crash, then backs off', () => {
    expect(restartDecision([1_000], 1_000)).toEqual({ restart: true, delayMs: 0 });
    expect(restartDecision([1_000, 2_000], 2_000)).toEqual({ restart: true, delayMs: 500 });
    expect(restartDecision([1_000, 2_000, 3_000], 3_000)).toEqual({ restart: true, delayMs: 2_000 });
  });

  it('stops after more than five crashes within a minute', () => {
    const crashes = [0, 1, 2, 3, 4, 5].map((i) => i * 1_000);
    expect(restartDecision(crashes.slice(0, 5), 5_000)).toEqual({ restart: true, delayMs: 10_000 });
    expect(restartDecision(crashes, 5_000)).toEqual({ restart: false, delayMs: 0 });
  });

  it('forgets crashes older than the window', () => {
    const old = [0, 1_000, 2_000, 3_000, 4_000, 5_000];
    expect(restartDecision([...old, 200_000], 200_000)).toEqual({ restart: true, delayMs: 0 });
  });
});
