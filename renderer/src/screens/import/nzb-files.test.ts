import { describe, expect, it } from 'vitest';
import { describeRejected, isNzbName, sortDropped } from './nzb-files';

describe('which dropped files are NZBs', () => {
  it('knows .nzb and .nzb.gz in any case, and nothing else', () => {
    expect(['a.nzb', 'B.NZB', 'c.nzb.gz', 'd.Nzb.GZ'].every(isNzbName)).toBe(true);
    expect(['a.gz', 'a.nzb.txt', 'nzb', 'a.tar.gz', 'a.nzbx'].some(isNzbName)).toBe(false);
  });

  it('keeps each NZB once and reports the rest by path', () => {
    const files = [
      { name: 'one.nzb', size: 10, path: 'drop/one.nzb' },
      { name: 'cover.jpg', size: 5, path: 'drop/cover.jpg' },
      { name: 'one.nzb', size: 10, path: 'drop/one.nzb' },
      { name: 'two.nzb.gz', size: 3, path: 'drop/sub/two.nzb.gz' },
    ];
    const sorted = sortDropped(files, (f) => f.path);
    expect(sorted.nzbs.map((f) => f.path)).toEqual(['drop/one.nzb', 'drop/sub/two.nzb.gz']);
    expect(sorted.rejected).toEqual(['drop/cover.jpg']);
  });

  it('says what was left out in one sentence', () => {
    expect(describeRejected([])).toBe('');
    expect(describeRejected(['x/readme.txt'])).toBe('This file is not an NZB and was left out: readme.txt.');
    expect(describeRejected(['a.txt', 'b.jpg', 'c.par2', 'd.rar', 'e.sfv'])).toBe('5 files are not an NZB and were left out: a.txt, b.jpg, c.par2 and 2 more.');
  });
});
