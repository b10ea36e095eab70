import { describe, expect, it } from 'vitest';
import { MAX_PATH, SQLITE_WIN32_MAX_PATH_BYTES, UTF8_CODE_PAGE, dataFolderPathProblems, extendedLengthPath, parseAnsiCodePage, postgresPathError, sqliteFileUri, sqliteOpenName } from './win-paths';

/** A Windows folder path of exactly `length` characters, under `root`, in segments of `word`. */
function folderOf(length: number, root = 'D:\\', word = 'deep folder'): string {
  let p = root.replace(/\\$/u, '');
  while (p.length + 1 + word.length < length) p += `\\${word}`;
  p += `\\${'x'.repeat(length - p.length - 1)}`;
  expect(p).toHaveLength(length);
  return p;
}

describe('extendedLengthPath', () => {
  it('prefixes drive and UNC paths, normalising first (the prefix turns normalisation off)', () => {
    expect(extendedLengthPath('C:\\Users\\Ann\\a.db')).toBe('\\\\?\\C:\\Users\\Ann\\a.db');
    expect(extendedLengthPath('C:/Users/Ann/./x/../a.db')).toBe('\\\\?\\C:\\Users\\Ann\\a.db');
    expect(extendedLengthPath('\\\\nas\\share\\Strata\\a.db')).toBe('\\\\?\\UNC\\nas\\share\\Strata\\a.db');
    expect(extendedLengthPath('\\\\?\\C:\\already')).toBe('\\\\?\\C:\\already');
  });
});

describe('sqliteOpenName', () => {
  it('leaves short names, other platforms and special names as they are', () => {
    expect(sqliteOpenName('C:\\Users\\Ann\\AppData\\Roaming\\Strata\\control.db', 'win32')).toBe('C:\\Users\\Ann\\AppData\\Roaming\\Strata\\control.db');
    const long = `/srv/${'d/'.repeat(200)}strata.db`;
    expect(sqliteOpenName(long, 'linux')).toBe(long);
    for (const special of ['', ':memory:', 'file:///C:/x.db?immutable=1']) expect(sqliteOpenName(special, 'win32')).toBe(special);
  });

  it('prefixes a name that, with -journal, would reach MAX_PATH', () => {
    const fits = `${folderOf(MAX_PATH - 1 - '-journal'.length - '\\a.db'.length)}\\a.db`;
    expect(fits.length + '-journal'.length).toBe(MAX_PATH - 1);
    expect(sqliteOpenName(fits, 'win32')).toBe(fits);
    const over = `${folderOf(MAX_PATH - '-journal'.length - '\\a.db'.length)}\\a.db`;
    expect(sqliteOpenName(over, 'win32')).toBe(`\\\\?\\${over}`);
    const unc = `\\\\nas\\share\\${'Ordner mit Ümlauten\\'.repeat(14)}shard-000.db`;
    expect(unc.length).toBeGreaterThan(MAX_PATH);
    expect(sqliteOpenName(unc, 'win32')).toBe(`\\\\?\\UNC\\${unc.slice(2)}`);
  });

  it("refuses, saying what to do, past SQLite's own limit, counted in UTF-8 bytes", () => {
    // 600 characters of ASCII fit; the same number of characters in Japanese (3 bytes each) do not.
    const ascii = `${folderOf(600)}\\strata.db`;
    expect(sqliteOpenName(ascii, 'win32')).toBe(`\\\\?\\${ascii}`);
    const japanese = `D:\\${'日本語のフォルダ\\'.repeat(60)}strata.db`;
    expect(japanese.length).toBeLessThan(600);
    expect(Buffer.byteLength(japanese)).toBeGreaterThan(SQLITE_WIN32_MAX_PATH_BYTES);
    expect(() => sqliteOpenName(japanese, 'win32')).toThrow(/too long for SQLite on Windows.*Choose a data folder .* with a shorter path/su);
    try {
      sqliteOpenName(japanese, 'win32');
    } catch (error) {
      expect(error).toMatchObject({ code: 'io', details: { limit: SQLITE_WIN32_MAX_PATH_BYTES - 8 } });
    }
    // The boundary: the prefixed name plus -journal may be exactly the limit.
    const edge = folderOf(SQLITE_WIN32_MAX_PATH_BYTES - 8 - 4);
    expect(sqliteOpenName(edge, 'win32')).toBe(`\\\\?\\${edge}`);
    expect(() => sqliteOpenName(`${edge}x`, 'win32')).toThrow(/too long/u);
  });
});

describe('sqliteFileUri (read-only folders open files as immutable URIs)', () => {
  it("keeps Node's file URL for short names and other platforms", () => {
    expect(sqliteFileUri('/srv/strata/strata.db', 'immutable=1', 'linux')).toBe('file:///srv/strata/strata.db?immutable=1');
    expect(sqliteFileUri('/srv/a b/ü.db', 'immutable=1', 'linux')).toBe('file:///srv/a%20b/%C3%BC.db?immutable=1');
  });

  it('names a long Windows file by its escaped \\\\?\\ form, which SQLite decodes back', () => {
    const long = `E:\\DVD Katalog\\${'Überordner\\'.repeat(25)}strata.db`;
    expect(long.length).toBeGreaterThan(MAX_PATH);
    const uri = sqliteFileUri(long, 'immutable=1', 'win32');
    expect(uri).toMatch(/^file:\/%5C%5C%3F%5CE%3A%5CDVD%20Katalog%5C/u);
    expect(uri.endsWith('?immutable=1')).toBe(true);
    // No ? or # is left unescaped in the name, so the query stays the query.
    const name = uri.slice('file:/'.length, uri.indexOf('?'));
    expect(name).not.toMatch(/[?#]/u);
    expect(decodeURIComponent(name)).toBe(`\\\\?\\${long}`);
  });
});

describe('dataFolderPathProblems', () => {
  it('finds none for ordinary folders, with spaces and non-ASCII characters, nor for POSIX paths', () => {
    for (const dir of ['C:\\Users\\Zoë\\AppData\\Roaming\\Strata', 'E:\\Portable Apps\\Strata – 東京\\data', '\\\\nas\\share\\Strata', `/home/ann/${'x/'.repeat(600)}`])
      expect(dataFolderPathProblems(dir), dir).toEqual([]);
  });

  it('finds a folder too deep for the portable PostgreSQL server, with the length that would do', () => {
    const deep = folderOf(180);
    const problems = dataFolderPathProblems(deep);
    expect(problems.map((p) => p.component)).toEqual(['postgres']);
    expect(problems[0]?.message).toMatch(/cannot run in .*at most 1\d\d characters .*SQLite, sharded SQLite or embedded PostgreSQL/su);
    const most = Number(/at most (\d+) characters/u.exec(problems[0]?.message ?? '')?.[1]);
    expect(dataFolderPathProblems(folderOf(most))).toEqual([]);
    expect(dataFolderPathProblems(folderOf(most + 1)).map((p) => p.component)).toEqual(['postgres']);
  });

  it('finds a folder too deep even for SQLite, and reads \\\\?\\ forms like the plain ones', () => {
    const deep = folderOf(1000);
    expect(dataFolderPathProblems(deep).map((p) => p.component)).toEqual(['sqlite', 'postgres']);
    expect(dataFolderPathProblems(`\\\\?\\${deep}`).map((p) => p.component)).toEqual(['sqlite', 'postgres']);
    expect(dataFolderPathProblems('\\\\?\\UNC\\nas\\share\\Strata')).toEqual([]);
  });

  it('gives the portable server its refusal on Windows only', () => {
    expect(postgresPathError(folderOf(200), 'win32')).toMatchObject({ code: 'pg-start-failed' });
    expect(postgresPathError(folderOf(100), 'win32')).toBeNull();
    expect(postgresPathError(folderOf(200), 'linux')).toBeNull();
  });
});

describe('the portable server and characters outside ASCII', () => {
  it('refuses them in the data folder unless the ANSI code page is UTF-8, naming the character', () => {
    for (const dir of ['C:\\Users\\Zoë\\AppData\\Roaming\\Strata', 'C:\\Users\\Дмитрий\\AppData\\Roaming\\Strata', 'E:\\東京\\Strata']) {
      for (const codePage of [1252, 1251, 932, null]) {
        const error = postgresPathError(dir, 'win32', codePage);
        expect(error?.code, `${dir} ${codePage}`).toBe('pg-start-failed');
        expect(error?.message).toMatch(/only plain \(ASCII\) characters.*Choose a data folder such as D:\\Strata/su);
      }
      expect(postgresPathError(dir, 'win32', UTF8_CODE_PAGE)).toBeNull();
      expect(postgresPathError(dir, 'linux', 1252)).toBeNull();
    }
    expect(postgresPathError('C:\\Users\\Zoë\\Strata', 'win32', 1252)?.details).toMatchObject({ character: 'ë' });
    expect(postgresPathError('C:\\Users\\Ann\\AppData\\Roaming\\Strata', 'win32', 1252)).toBeNull();
  });

  it("reads the code page from reg query's output", () => {
    const output = '\r\nHKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage\r\n    ACP    REG_SZ    1252\r\n\r\n';
    expect(parseAnsiCodePage(output)).toBe(1252);
    expect(parseAnsiCodePage(output.replace('1252', '65001'))).toBe(UTF8_CODE_PAGE);
    expect(parseAnsiCodePage('ERROR: The system was unable to find the specified registry key or value.')).toBeNull();
  });
});

