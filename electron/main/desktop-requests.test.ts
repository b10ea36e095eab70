import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { choiceFileOf, nextDataDir, readChoice, resolveDataDir, writeChoice } from '../db/data-folder/data-folder-choice';
import { folderDialog, parseDesktopRequest, saveDialog } from './desktop-requests';

describe('desktop bridge requests', () => {
  it('accepts the requests the preload sends', () => {
    expect(parseDesktopRequest('strata:pick-nzb-files', [])).toEqual([]);
    expect(parseDesktopRequest('strata:pick-folder', ['index'])).toEqual(['index']);
    expect(parseDesktopRequest('strata:pick-save', ['nzb', 'Release.nzb'])).toEqual(['nzb', 'Release.nzb']);
    expect(parseDesktopRequest('strata:set-data-folder', ['D:\\Strata'])).toEqual(['D:\\Strata']);
    expect(parseDesktopRequest('strata:set-data-folder', ['/srv/strata'])).toEqual(['/srv/strata']);
  });

  it('refuses anything else, saying why', () => {
    expect(() => parseDesktopRequest('strata:pick-folder', ['anything'])).toThrow(/malformed/u);
    expect(() => parseDesktopRequest('strata:pick-folder', [])).toThrow(/malformed/u);
    expect(() => parseDesktopRequest('strata:pick-nzb-files', [{ defaultPath: 'C:\\' }])).toThrow(/malformed/u);
    expect(() => parseDesktopRequest('strata:pick-save', ['nzb', '..\\..\\evil.nzb'])).toThrow(/file name/u);
    expect(() => parseDesktopRequest('strata:pick-save', ['exe', 'x'])).toThrow(/malformed/u);
    expect(() => parseDesktopRequest('strata:set-data-folder', ['relative\\folder'])).toThrow(/absolute/u);
    expect(() => parseDesktopRequest('strata:set-data-folder', [42])).toThrow(/malformed/u);
    expect(() => parseDesktopRequest('strata:set-data-folder', ['/a\u0000b'])).toThrow(/malformed/u);
  });

  it('refuses a save name Windows reserves for a device, and a data folder too deep for SQLite', () => {
    for (const name of ['CON.nzb', 'nul', 'COM1.nzb', 'lpt³.db']) expect(() => parseDesktopRequest('strata:pick-save', ['nzb', name]), name).toThrow(/reserve/u);
    const deep = `D:\\${'a folder with a long name\\'.repeat(40)}Strata`;
    expect(() => parseDesktopRequest('strata:set-data-folder', [deep])).toThrow(/too long a path .*Choose a folder with a shorter path/su);
    // Too deep for the portable PostgreSQL server only: allowed (the server says so if it is ever used).
    const medium = `D:\\${'a folder with a long name\\'.repeat(7)}Strata`;
    expect(parseDesktopRequest('strata:set-data-folder', [medium])).toEqual([medium]);
    expect(parseDesktopRequest('strata:set-data-folder', [`/srv/${'x/'.repeat(600)}`])).toHaveLength(1);
  });

  it('words each dialog for what it is for', () => {
    expect(folderDialog('data-folder').properties).toContain('createDirectory');
    expect(folderDialog('index').buttonLabel).toBe('Index this folder');
    expect(saveDialog('nzb', 'Release').defaultPath).toBe('Release.nzb');
    expect(saveDialog('backup', 'strata-backup.db').filters[0]?.extensions).toEqual(['db']);
  });
});

describe('the data folder chosen for the next start', () => {
  const win = { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, homedir: 'C:\\Users\\ana' };

  it('is kept in the default data folder, even when STRATA_DATA_DIR is set', () => {
    expect(choiceFileOf(win)).toBe('C:\\Users\\ana\\AppData\\Roaming\\Strata\\data-folder.json');
    expect(choiceFileOf({ ...win, env: { ...win.env, STRATA_DATA_DIR: 'X:\\t' } })).toBe('C:\\Users\\ana\\AppData\\Roaming\\Strata\\data-folder.json');
    expect(choiceFileOf({ ...win, env: { PORTABLE_EXECUTABLE_DIR: 'E:\\Strata' } })).toBe('E:\\Strata\\data\\data-folder.json');
  });

  it('is used at the next start unless STRATA_DATA_DIR overrides it', () => {
    expect(resolveDataDir(win, 'D:\\Catalog')).toBe('D:\\Catalog');
    expect(resolveDataDir(win, null)).toBe('C:\\Users\\ana\\AppData\\Roaming\\Strata');
    expect(resolveDataDir({ ...win, env: { STRATA_DATA_DIR: 'X:\\t' } }, 'D:\\Catalog')).toBe('X:\\t');
  });

  it('round-trips through its file and ignores a damaged one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-choice-'));
    try {
      const file = path.join(dir, 'sub', 'data-folder.json');
      expect(readChoice(file)).toBeNull();
      writeChoice(file, '/srv/catalog');
      expect(readChoice(file)).toBe('/srv/catalog');
      fs.writeFileSync(file, '{"dataDir": 3');
      expect(readChoice(file)).toBeNull();
      fs.writeFileSync(file, '{"dataDir": "relative"}');
      expect(readChoice(file)).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is announced only while it differs from the folder in use', () => {
    expect(nextDataDir('C:\\A', 'c:\\a', 'win32')).toBeNull();
    expect(nextDataDir('C:\\A', 'D:\\B', 'win32')).toBe('D:\\B');
    expect(nextDataDir('/a', null, 'linux')).toBeNull();
    expect(nextDataDir('/a', '/A', 'linux')).toBe('/A');
  });
});
