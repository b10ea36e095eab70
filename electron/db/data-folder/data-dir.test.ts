import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceFileOf } from './data-folder-choice';
import { dataDirDecision, defaultDataDir, probePortableFolder } from './data-dir';

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

  describe('a portable copy (PORTABLE_EXECUTABLE_DIR)', () => {
    const home = 'C:\\Users\\Zoë';
    const env = (exeDir: string) => ({ APPDATA: 'C:\\Users\\Zoë\\AppData\\Roaming', PORTABLE_EXECUTABLE_DIR: exeDir });

    it('keeps its data beside the executable, in folders with spaces and non-ASCII characters', () => {
      for (const exeDir of ['E:\\Portable Apps\\Strata', 'E:\\Programmes portables\\Strata – Zoë', 'F:\\東京\\ツール', '\\\\nas\\share\\Strata'])
        expect(dataDirDecision({ platform: 'win32', env: env(exeDir), homedir: home, portable: { dataExists: false, writable: true } })).toEqual({
          dataDir: `${exeDir}\\data`,
          kind: 'portable',
          note: null,
        });
      // A drive root, as on a USB stick: one backslash, not two.
      expect(defaultDataDir({ platform: 'win32', env: env('G:\\'), homedir: home })).toBe('G:\\data');
    });

    it('uses an existing data folder even where nothing can be written (it is opened read-only)', () => {
      const d = dataDirDecision({ platform: 'win32', env: env('D:\\DVD Catalog'), homedir: home, portable: { dataExists: true, writable: false } });
      expect(d).toMatchObject({ dataDir: 'D:\\DVD Catalog\\data', kind: 'portable' });
    });

    it('falls back to the app-data folder, saying why and what to do, when it cannot create one beside itself', () => {
      const d = dataDirDecision({ platform: 'win32', env: env('C:\\Program Files\\Strata'), homedir: home, portable: { dataExists: false, writable: false } });
      expect(d.dataDir).toBe('C:\\Users\\Zoë\\AppData\\Roaming\\Strata');
      expect(d.kind).toBe('portable-fallback');
      expect(d.note).toContain('C:\\Program Files\\Strata\\data');
      expect(d.note).toContain('C:\\Users\\Zoë\\AppData\\Roaming\\Strata');
      expect(d.note).toMatch(/move the executable to a folder you can write/u);
      // The data-folder choice is then kept in the fallback folder too, where it can be written.
      expect(choiceFileOf({ platform: 'win32', env: env('C:\\Program Files\\Strata'), homedir: home, portable: { dataExists: false, writable: false } })).toBe(
        'C:\\Users\\Zoë\\AppData\\Roaming\\Strata\\data-folder.json',
      );
    });

    it('still yields to STRATA_DATA_DIR', () => {
      expect(dataDirDecision({ platform: 'win32', env: { ...env('E:\\x'), STRATA_DATA_DIR: 'D:\\cat' }, homedir: home, portable: { dataExists: false, writable: false } })).toEqual({
        dataDir: 'D:\\cat',
        kind: 'override',
        note: null,
      });
    });

    it('probes by writing, and leaves nothing behind', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata portable é-'));
      try {
        expect(probePortableFolder(dir)).toEqual({ dataExists: false, writable: true });
        expect(fs.readdirSync(dir)).toEqual([]);
        fs.mkdirSync(path.join(dir, 'data'));
        expect(probePortableFolder(dir)).toEqual({ dataExists: true, writable: true });
        // A place no folder can be created in (root ignores permission bits, a file does not).
        fs.writeFileSync(path.join(dir, 'a-file'), '');
        expect(probePortableFolder(path.join(dir, 'a-file'))).toEqual({ dataExists: false, writable: false });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
