import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostToken, moveQuietFromEnv } from './serve';

describe('hostToken', () => {
  it('keeps one user-only token per data folder across restarts, and replaces a damaged one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-token-'));
    const first = hostToken(dir);
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/u);
    expect(hostToken(dir)).toBe(first);
    expect(fs.statSync(path.join(dir, 'host-token')).mode & 0o777).toBe(0o600);
    fs.writeFileSync(path.join(dir, 'host-token'), 'short');
    const next = hostToken(dir);
    expect(next).not.toBe('short');
    expect(next).not.toBe(first);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('moveQuietFromEnv', () => {
  it('keeps the default unless set, takes whole milliseconds, and refuses anything else with what to do', () => {
    expect(moveQuietFromEnv({})).toEqual({});
    expect(moveQuietFromEnv({ STRATA_MOVE_QUIET_MS: '' })).toEqual({});
    expect(moveQuietFromEnv({ STRATA_MOVE_QUIET_MS: '1500' })).toEqual({ quietMs: 1500 });
    for (const bad of ['1.5', '-1', 'soon']) {
      expect(() => moveQuietFromEnv({ STRATA_MOVE_QUIET_MS: bad })).toThrow(/whole number of milliseconds.*unset it/u);
    }
  });
});
