import { describe, expect, it } from 'vitest';
import { NzbOpenQueue, forwardedNzbPaths, nzbPathsFromArgv, singleInstanceData } from './argv';

const EXE = 'C:\\Program Files\\Strata\\Strata.exe';
const win = { platform: 'win32' as const };

describe('nzbPathsFromArgv with Windows argv shapes', () => {
  it('takes the file Explorer passes for a double-click, spaces and all', () => {
    expect(nzbPathsFromArgv([EXE, 'C:\\Users\\Ann\\Downloads\\a b.nzb'], 'C:\\Windows\\System32', win)).toEqual(['C:\\Users\\Ann\\Downloads\\a b.nzb']);
  });

  it('takes several files, .nzb.gz too, in order, once each (case-insensitively)', () => {
    const argv = [EXE, 'D:\\in\\one.nzb', 'D:\\in\\two.NZB.gz', 'D:\\in\\notes.txt', 'd:\\IN\\ONE.nzb', 'D:\\in\\archive.gz'];
    expect(nzbPathsFromArgv(argv, 'C:\\', win)).toEqual(['D:\\in\\one.nzb', 'D:\\in\\two.NZB.gz']);
  });

  it('keeps non-ASCII paths as they are', () => {
    const argv = [EXE, 'C:\\Users\\Zoë\\Téléchargements\\Фильм 東京.nzb', 'C:\\Users\\Zoë\\🎞️.nzb'];
    expect(nzbPathsFromArgv(argv, 'C:\\', win)).toEqual(argv.slice(1));
  });

  it('skips the switches Chromium and Electron add, even ones whose value ends in .nzb', () => {
    const argv = [
      EXE,
      '--allow-file-access-from-files',
      '--original-process-start-time=13370000000000000',
      '--user-data-dir=C:\\x\\y.nzb',
      '-flag',
      'C:\\a.nzb',
      '--inspect=9229',
    ];
    expect(nzbPathsFromArgv(argv, 'C:\\', win)).toEqual(['C:\\a.nzb']);
  });

  it('takes everything after `--` as a file, even a name starting with a dash', () => {
    const argv = [EXE, '--some-switch', '--', '-odd name.nzb', '--also.nzb', 'plain.nzb'];
    expect(nzbPathsFromArgv(argv, 'E:\\Posts', win)).toEqual(['E:\\Posts\\-odd name.nzb', 'E:\\Posts\\--also.nzb', 'E:\\Posts\\plain.nzb']);
  });

  it('resolves relative paths against the launching folder, Windows style', () => {
    expect(nzbPathsFromArgv([EXE, 'a.nzb', '..\\b.nzb', 'sub/c.nzb'], 'C:\\Users\\Ann\\Downloads', win)).toEqual([
      'C:\\Users\\Ann\\Downloads\\a.nzb',
      'C:\\Users\\Ann\\b.nzb',
      'C:\\Users\\Ann\\Downloads\\sub\\c.nzb',
    ]);
  });

  it('takes UNC and long paths', () => {
    const long = `C:\\${'deep folder\\'.repeat(30)}release.nzb`;
    expect(long.length).toBeGreaterThan(260);
    expect(nzbPathsFromArgv([EXE, '\\\\nas\\share\\x.nzb', long], 'C:\\', win)).toEqual(['\\\\nas\\share\\x.nzb', long]);
  });

  it('unwraps a path a launcher left quoted, and ignores the development app folder', () => {
    expect(nzbPathsFromArgv(['electron.exe', '.', '"C:\\q u\\x.nzb"', '  C:\\t\\y.nzb '], 'C:\\dev', win)).toEqual(['C:\\q u\\x.nzb', 'C:\\t\\y.nzb']);
    expect(nzbPathsFromArgv([EXE], 'C:\\', win)).toEqual([]);
  });

  it('keeps POSIX rules elsewhere: case matters', () => {
    expect(nzbPathsFromArgv(['strata', 'a.nzb', 'A.nzb'], '/home/ann', { platform: 'linux' })).toEqual(['/home/ann/a.nzb', '/home/ann/A.nzb']);
  });
});

describe('forwarding to the running instance', () => {
  it('prefers the paths the second instance parsed itself', () => {
    const data = singleInstanceData([EXE, 'a b.nzb'], 'C:\\Users\\Ann\\Downloads', win);
    expect(data).toEqual({ nzbPaths: ['C:\\Users\\Ann\\Downloads\\a b.nzb'] });
    // Chromium's reordered argv with its own switches, and the first instance's cwd, do not matter.
    const argv = [EXE, '--allow-file-access-from-files', 'a b.nzb', '--original-process-start-time=1'];
    expect(forwardedNzbPaths(argv, 'C:\\Windows\\System32', structuredClone(data), win)).toEqual(['C:\\Users\\Ann\\Downloads\\a b.nzb']);
  });

  it('checks what crosses the process boundary: absolute .nzb paths only', () => {
    const data = { nzbPaths: ['C:\\ok.nzb', 'relative.nzb', 'C:\\evil.exe', '\\rooted.nzb', 'C:drive-relative.nzb', 42, 'C:\\a\u0000.nzb', '\\\\srv\\s\\u.nzb', 'C:\\dup\\..\\OK.nzb'] };
    expect(forwardedNzbPaths([EXE], 'C:\\', data, win)).toEqual(['C:\\ok.nzb', '\\\\srv\\s\\u.nzb']);
  });

  it('falls back to the argv when the second instance sent nothing usable (an older Strata)', () => {
    for (const data of [undefined, null, 'x', {}, { nzbPaths: 'C:\\a.nzb' }])
      expect(forwardedNzbPaths([EXE, '--flag', 'C:\\from-argv.nzb'], 'C:\\', data, win)).toEqual(['C:\\from-argv.nzb']);
    // An empty list is an answer: that instance was started with no files.
    expect(forwardedNzbPaths([EXE, 'C:\\from-argv.nzb'], 'C:\\', { nzbPaths: [] }, win)).toEqual([]);
  });
});

describe('NzbOpenQueue', () => {
  it('holds files forwarded while the page loads, then sends them before the launch files, then passes files through', () => {
    const sent: string[][] = [];
    const queue = new NzbOpenQueue();
    queue.open(['C:\\early.nzb']);
    queue.open([]);
    queue.open(['C:\\second.nzb']);
    expect(sent).toEqual([]);
    queue.ready((paths) => sent.push(paths), ['C:\\launch.nzb']);
    expect(sent).toEqual([['C:\\early.nzb', 'C:\\second.nzb', 'C:\\launch.nzb']]);
    queue.open(['C:\\later.nzb']);
    queue.open([]);
    expect(sent).toEqual([['C:\\early.nzb', 'C:\\second.nzb', 'C:\\launch.nzb'], ['C:\\later.nzb']]);
  });

  it('sends nothing when nothing was asked', () => {
    const sent: string[][] = [];
    new NzbOpenQueue().ready((paths) => sent.push(paths));
    expect(sent).toEqual([]);
  });
});

