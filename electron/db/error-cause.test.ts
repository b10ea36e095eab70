/** Failures of every shape the drivers throw, said in words; a full disk known as one. */
import { describe, expect, it } from 'vitest';
import { StrataError } from '../../shared/errors';
import { causeText, isDiskFullError } from './error-cause';

/** What PGlite's file system threw when its data folder's disk filled: a name, a WASI errno, no message. */
const pgliteEnospc = (): object => Object.assign(Object.create(null) as object, { name: 'ErrnoError', errno: 51 });

describe('causeText and isDiskFullError', () => {
  it('names an ErrnoError without a message instead of printing "undefined"', () => {
    expect(causeText(pgliteEnospc())).toBe('no space left on device (ENOSPC)');
    expect(causeText({ name: 'ErrnoError', errno: 999 })).toBe('file system error 999');
    expect(causeText(new Error('boom'))).toBe('boom');
    expect(causeText(Object.assign(new Error(''), { code: 'EIO' }))).toBe('EIO');
    expect(causeText(undefined)).toBe('no reason given');
    expect(causeText({})).toBe('an unexplained failure');
    expect(causeText('plain text')).toBe('plain text');
  });

  it('knows a full disk from every driver, through causes too', () => {
    expect(isDiskFullError(pgliteEnospc())).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))).toBe(true);
    expect(isDiskFullError(Object.assign(new Error('could not extend file'), { code: '53100' }))).toBe(true);
    expect(isDiskFullError(new Error('outer', { cause: Object.assign(new Error('inner'), { code: 'ENOSPC' }) }))).toBe(true);
    expect(isDiskFullError(new StrataError('disk-full', 'full'))).toBe(true);
    expect(isDiskFullError(new StrataError('io', 'other'))).toBe(false);
    expect(isDiskFullError({ name: 'ErrnoError', errno: 44 })).toBe(false);
    expect(isDiskFullError(new Error('could not extend file: permission denied'))).toBe(false);
  });
});
