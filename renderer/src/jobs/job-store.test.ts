import { describe, expect, it } from 'vitest';
import { StrataError } from '../../../shared/errors';
import { JobStore, estimate } from './job-store';

describe('estimate', () => {
  it('gives no rate or ETA before enough time has passed', () => {
    expect(estimate([{ at: 0, done: 0 }, { at: 500, done: 900 }], 10_000)).toEqual({ rate: null, etaMs: null });
  });
  it('measures the rate over the window and the time left from it', () => {
    const r = estimate([{ at: 0, done: 0 }, { at: 1000, done: 100 }, { at: 2000, done: 200 }], 1200);
    expect(r.rate).toBeCloseTo(100);
    expect(r.etaMs).toBeCloseTo(10_000);
  });
  it('has a rate but no ETA when the total is unknown', () => {
    expect(estimate([{ at: 0, done: 0 }, { at: 2000, done: 50 }], null)).toEqual({ rate: 25, etaMs: null });
  });
});

describe('JobStore', () => {
  it('keeps a finished job with its report, and a failed one with the error in its own words', async () => {
    let t = 0;
    const store = new JobStore(() => t);
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.list().length));
    store.start('import', 'Import a.nzb', async (ctx) => {
      ctx.progress({ done: 1, total: 4, unit: 'files', label: null });
      t = 2000;
      ctx.progress({ done: 3, total: 4, unit: 'files', label: null });
      return { summary: '3 imported', lines: [] };
    });
    store.start('index', 'Index /x', () => Promise.reject(new StrataError('io', 'The folder /x cannot be read.')));
    await new Promise((r) => setTimeout(r, 0));
    const [failed, done] = store.list();
    expect(done).toMatchObject({ state: 'done', report: { summary: '3 imported' }, cancel: null, endedAt: 2000 });
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'io', message: 'The folder /x cannot be read.' } });
    expect(seen.length).toBeGreaterThan(3);
  });

  it('ends a cancelled job as cancelled, and clears only finished jobs', async () => {
    const store = new JobStore();
    let release: () => void = () => undefined;
    store.start('export', 'Export', (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new StrataError('cancelled', 'Cancelled.')))));
    store.start('backup', 'Backup', () => new Promise((resolve) => (release = () => resolve({ summary: 'ok', lines: [] }))));
    store.list()[1]?.cancel?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.list()[1]?.state).toBe('cancelled');
    store.clearFinished();
    expect(store.list().map((j) => j.title)).toEqual(['Backup']);
    release();
  });

  it('measures the rate afresh when a job starts a new phase from zero', () => {
    let t = 0;
    const store = new JobStore(() => t);
    store.track('m', 'migration', 'Move', null);
    store.progress('m', { done: 0, total: 100, unit: 'rows', label: 'copy' });
    t = 2000;
    store.progress('m', { done: 100, total: 100, unit: 'rows', label: 'copy' });
    expect(store.list()[0]?.rate).toBe(50);
    t = 2500;
    store.progress('m', { done: 5, total: 100, unit: 'rows', label: 'index' });
    expect(store.list()[0]?.rate).toBeNull();
  });
});
