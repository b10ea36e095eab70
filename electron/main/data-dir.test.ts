import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir';

describe('defaultDataDir', () => {
  it('uses the roaming app-data folder on Windows', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, homedir: 'C:\\Users\\ana' })).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\Strata',
    );
  });

  it('puts a portable copy\'s data beside the executable', () => {
    expect(
      defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\x', PORTABLE_EXECUTABLE_DIR: 'E:\\Strata' }, homedir: 'C:\\Users\\ana' }),
    ).toBe('E:\\Strata\\data');
  });

  it('follows XDG on Linux and falls back to ~/.config', () => {
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, homedir: '/home/ana' })).toBe('/cfg/Strata');
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/ana' })).toBe('/home/ana/.config/Strata');
  });

  it('uses Application Support on macOS', () => {
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/ana' })).toBe('/Users/ana/Library/Application Support/Strata');
  });

  it('lets STRATA_DATA_DIR override everything', () => {
    expect(defaultDataDir({ platform: 'win32', env: { STRATA_DATA_DIR: 'D:\\cat', PORTABLE_EXECUTABLE_DIR: 'E:\\x' }, homedir: 'C:\\' })).toBe('D:\\cat');
  });
});
