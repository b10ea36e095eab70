import { describe, expect, it } from 'vitest';
import { restartAnswerSchema, updateNotice, updateStateSchema } from './updates';

describe('updateNotice', () => {
  it('shows a download, a ready update and a failed download; not a check or its failure', () => {
    expect(updateNotice({ state: 'downloading', version: '0.2.0', percent: 40 }, null)).toMatchObject({ intent: 'info', percent: 40, restart: false });
    expect(updateNotice({ state: 'ready', version: '0.2.0' }, null)).toMatchObject({ title: 'Strata 0.2.0 is ready', restart: true });
    expect(updateNotice({ state: 'checking' }, null)).toBeNull();
    expect(updateNotice({ state: 'available', version: '0.2.0', deferred: 'a move' }, null)).toBeNull();
    expect(updateNotice({ state: 'error', during: 'check', version: null, error: { name: 'StrataError', code: 'io', message: 'offline' } }, null)).toBeNull();
    expect(updateNotice({ state: 'error', during: 'download', version: '0.2.0', error: { name: 'StrataError', code: 'io', message: 'bad sum' } }, null)).toMatchObject({ intent: 'warning', body: 'bad sum' });
  });
  it('"Later" hides that notice only: a ready update shows after its download was dismissed', () => {
    const downloading = updateNotice({ state: 'downloading', version: '0.2.0', percent: 1 }, null)!;
    expect(updateNotice({ state: 'downloading', version: '0.2.0', percent: 60 }, downloading.key)).toBeNull();
    const ready = updateNotice({ state: 'ready', version: '0.2.0' }, downloading.key);
    expect(ready).not.toBeNull();
    expect(updateNotice({ state: 'ready', version: '0.2.0' }, ready!.key)).toBeNull();
  });
});

describe('the update schemas', () => {
  it('let through what main sends and nothing else', () => {
    expect(updateStateSchema.safeParse({ state: 'ready', version: '0.2.0' }).success).toBe(true);
    expect(updateStateSchema.safeParse({ state: 'downloading', version: '0.2.0', percent: 101 }).success).toBe(false);
    expect(updateStateSchema.safeParse({ state: 'ready', version: '0.2.0', script: 'x' }).success).toBe(false);
    expect(restartAnswerSchema.safeParse({ ok: false, error: { name: 'StrataError', code: 'busy', message: 'a move runs' } }).success).toBe(true);
    expect(restartAnswerSchema.safeParse({ ok: false, error: { code: 'nonsense', message: 'x' } }).success).toBe(false);
  });
});
