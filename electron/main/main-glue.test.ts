import { describe, expect, it } from 'vitest';
import { nzbPathsFromArgv } from './argv';
import { restoreBounds } from './window-state';

describe('nzbPathsFromArgv', () => {
  it('keeps .nzb and .nzb.gz arguments, resolved, once each', () => {
    expect(nzbPathsFromArgv(['Strata.exe', '--flag', 'a.nzb', 'b.NZB.gz', 'c.txt', 'a.nzb', '/abs/d.nzb'], '/home/u')).toEqual([
      '/home/u/a.nzb',
      '/home/u/b.NZB.gz',
      '/abs/d.nzb',
    ]);
    expect(nzbPathsFromArgv(['Strata.exe'], '/')).toEqual([]);
  });
});

describe('restoreBounds', () => {
  const screen = { x: 0, y: 0, width: 1920, height: 1040 };
  it('reopens where the window was when that is on a screen', () => {
    const bounds = { x: 100, y: 50, width: 1000, height: 700 };
    expect(restoreBounds({ bounds, maximized: true }, [screen])).toEqual({ bounds, maximized: true });
  });
  it('centres on the primary screen when the saved place is off every screen', () => {
    const r = restoreBounds({ bounds: { x: 3000, y: 50, width: 1000, height: 700 }, maximized: false }, [screen]);
    expect(r.bounds).toEqual({ x: 320, y: 120, width: 1280, height: 800 });
  });
  it('uses a sane default with no saved state or a tiny screen', () => {
    expect(restoreBounds(null, [screen]).bounds).toEqual({ x: 320, y: 120, width: 1280, height: 800 });
    expect(restoreBounds(null, [{ x: 0, y: 0, width: 1024, height: 600 }]).bounds).toEqual({ x: 0, y: 0, width: 1024, height: 600 });
  });
});
