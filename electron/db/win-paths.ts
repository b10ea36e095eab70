/**
 * Paths over 260 characters on Windows, per component that opens them. Pure (path.win32 and
 * string lengths), so every rule is tested on any platform; the callers pass process.platform.
 *
 * - Node's fs (exports, imports, the folder indexer, PGlite's files, 7-Zip's output folder):
 *   nothing to do. Node turns every absolute path into its `\\?\` form before calling Windows
 *   (path.toNamespacedPath), and 7-Zip does the same itself.
 * - SQLite (better-sqlite3: catalogs, shards, control.db, backups): its Windows VFS passes the
 *   name to CreateFileW as given, and neither Electron nor Chromium declares longPathAware, so a
 *   name of 260 characters or more fails (SQLITE_CANTOPEN) unless it carries the `\\?\` prefix,
 *   which SQLite keeps as it is (GetFullPathNameW returns such names unchanged) and on which it
 *   builds the -journal, -wal and -shm names. The default "win32" VFS still caps a full name at
 *   MAX_PATH * 4 = 1040 UTF-8 bytes, and the pager refuses a database whose name plus 8 bytes
 *   (for "-journal") is longer: beyond that no prefix helps, and Strata says so.
 * - The portable PostgreSQL server (postgres.exe, initdb): PostgreSQL opens files through the
 *   ANSI API without the prefix and is not longPathAware, so every path it opens, the data
 *   directory plus the deepest file inside it, must stay below MAX_PATH. Strata refuses a data
 *   folder too deep for that before it extracts anything.
 *   Nor can it take characters outside ASCII there unless Windows' ANSI code page is UTF-8
 *   (65001): it receives its paths in the ANSI code page, and initdb writes the path of its
 *   share\ folder (below the data folder) into SQL for a UTF8 cluster, which then fails with
 *   "invalid byte sequence for encoding UTF8" (a user folder named Zoë or Дмитрий is enough).
 * What to do is the same in every case: choose a data folder with a shorter (plain) path.
 */
/** Windows' UTF-8 ANSI code page ("Use Unicode UTF-8 for worldwide language support"). */
export const UTF8_CODE_PAGE = 65001;
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrataError } from '../../shared/errors';

/** Windows' MAX_PATH, counting the terminating NUL: a path may have 259 characters. */
export const MAX_PATH = 260;
/** SQLite's default Windows VFS limit on a full name (SQLITE_WIN32_MAX_PATH_BYTES), in UTF-8 bytes. */
export const SQLITE_WIN32_MAX_PATH_BYTES = MAX_PATH * 4;
/** The longest suffix SQLite adds to a database's name. */
const SQLITE_SUFFIX = '-journal';
/** Room below the data folder for the deepest SQLite file Strata makes (stores\sharded-<tag>\shard-000.db-journal is 44). */
export const SQLITE_DEPTH = 64;
/**
 * Room below the server's binaries and its data directory for the deepest file PostgreSQL
 * opens: share\extension\pg_stat_statements--1.11--1.12.sql (51) among the binaries,
 * pg_wal\archive_status\000000010000000000000001.ready (51) in the cluster.
 */
export const POSTGRES_DEPTH = 64;

const isWindowsPath = (p: string): boolean => /^([a-z]:[\\/]|[\\/]{2}[^\\/?.])/iu.test(p) || p.startsWith('\\\\?\\');

/** The `\\?\` (or `\\?\UNC\`) form of a full Windows path; one already in that form is kept. */
export function extendedLengthPath(file: string): string {
  if (file.startsWith('\\\\?\\')) return file;
  return path.win32.toNamespacedPath(path.win32.resolve(file));
}

function sqliteTooLong(file: string, bytes: number): StrataError {
  return new StrataError(
    'io',
    `The path of ${file} is too long for SQLite on Windows (${bytes} bytes in UTF-8; it opens names of up to ${SQLITE_WIN32_MAX_PATH_BYTES - SQLITE_SUFFIX.length}). ` +
      'Choose a data folder (or a destination) with a shorter path in Settings, for example D:\\Strata, and start Strata again.',
    { file, bytes, limit: SQLITE_WIN32_MAX_PATH_BYTES - SQLITE_SUFFIX.length },
  );
}

/**
 * The name to give better-sqlite3 (new Database, ATTACH, backup) for `file`. Elsewhere, and
 * for names that fit MAX_PATH with every suffix, the file as it is: messages and the OS show
 * the familiar form. A longer Windows name gets the `\\?\` prefix; one past SQLite's own
 * limit is refused with what to do. ':memory:' and '' (temporary databases) pass through.
 */
export function sqliteOpenName(file: string, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32' || file === '' || file === ':memory:' || file.startsWith('file:')) return file;
  const full = path.win32.resolve(file);
  if (full.length + SQLITE_SUFFIX.length < MAX_PATH) return file;
  const long = extendedLengthPath(full);
  const bytes = Buffer.byteLength(long, 'utf8');
  if (bytes + SQLITE_SUFFIX.length > SQLITE_WIN32_MAX_PATH_BYTES) throw sqliteTooLong(file, bytes);
  return long;
}

/**
 * A `file:` URI naming `file` for SQLite, with `query` (such as immutable=1). A long Windows
 * name is given as `file:/` plus its `\\?\` form, every character escaped: SQLite decodes the
 * escapes and drops the slash before `\\?\` itself (winFullPathname). Anything else keeps
 * Node's file URL.
 */
export function sqliteFileUri(file: string, query: string, platform: NodeJS.Platform = process.platform): string {
  const name = sqliteOpenName(file, platform);
  if (platform === 'win32' && name.startsWith('\\\\?\\')) return `file:/${encodeURIComponent(name)}?${query}`;
  return `${pathToFileURL(file).href}?${query}`;
}

export interface PathProblem {
  component: 'sqlite' | 'postgres';
  /** The deepest path the component would open, and the limit it has. */
  length: number;
  limit: number;
  message: string;
}

/**
 * What a Windows data folder cannot hold because of its path's length: none for a short one;
 * `sqlite` when even the default tier cannot open its files there (refuse the folder);
 * `postgres` when only the portable server cannot (the other tiers work). Paths that are not
 * Windows paths (a POSIX folder) have no such limits.
 */
export function dataFolderPathProblems(dataDir: string): PathProblem[] {
  if (!isWindowsPath(dataDir)) return [];
  const full = path.win32.resolve(dataDir.replace(/^\\\\\?\\(UNC\\)?/u, (_m, unc: string | undefined) => (unc ? '\\\\' : '')));
  const problems: PathProblem[] = [];
  const sqliteBytes = Buffer.byteLength(extendedLengthPath(full), 'utf8') + 1 + SQLITE_DEPTH + SQLITE_SUFFIX.length;
  if (sqliteBytes > SQLITE_WIN32_MAX_PATH_BYTES) {
    problems.push({
      component: 'sqlite',
      length: sqliteBytes,
      limit: SQLITE_WIN32_MAX_PATH_BYTES,
      message:
        `The folder ${full} has too long a path for Strata's catalog: SQLite on Windows cannot open files that deep (about ${SQLITE_WIN32_MAX_PATH_BYTES} bytes in all). ` +
        'Choose a folder with a shorter path, for example D:\\Strata.',
    });
  }
  // <dataDir>\postgres\bin-<version>-<sha8> is the longest folder the server uses (its data is <dataDir>\postgres\data.initdb while initdb runs).
  const postgresLength = full.length + '\\postgres\\bin-18.10-0123abcd\\'.length + POSTGRES_DEPTH;
  if (postgresLength >= MAX_PATH) {
    const most = MAX_PATH - 1 - (postgresLength - full.length);
    problems.push({
      component: 'postgres',
      length: postgresLength,
      limit: MAX_PATH - 1,
      message:
        `The portable PostgreSQL server cannot run in ${full}: PostgreSQL on Windows opens no path longer than ${MAX_PATH - 1} characters, and its files lie up to ${postgresLength - full.length} characters below the data folder. ` +
        `Choose a data folder with a path of at most ${Math.max(most, 0)} characters (for example D:\\Strata) in Settings, or keep the catalog on SQLite, sharded SQLite or embedded PostgreSQL, which take long paths.`,
    });
  }
  return problems;
}

/** The first character of `p` outside ASCII, or null. */
const firstNonAscii = (p: string): string | null => /[^\u0000-\u007f]/u.exec(p)?.[0] ?? null;

/** The refusal for a data folder whose characters the portable server cannot take. */
export function postgresCharactersError(dataDir: string, found: string): StrataError {
  return new StrataError(
    'pg-start-failed',
    `The portable PostgreSQL server cannot run in ${dataDir}: on Windows it takes only plain (ASCII) characters in its folder's path, and this one has "${found}". ` +
      'Choose a data folder such as D:\\Strata in Settings, or keep the catalog on SQLite, sharded SQLite or embedded PostgreSQL, which take any characters.',
    { dataDir, character: found },
  );
}

/**
 * The portable server's refusal for a data folder PostgreSQL cannot use, or null: too deep, or
 * with characters outside ASCII while the ANSI code page (`ansiCodePage`, null when unknown) is
 * not UTF-8.
 */
export function postgresPathError(dataDir: string, platform: NodeJS.Platform = process.platform, ansiCodePage: number | null = null): StrataError | null {
  if (platform !== 'win32') return null;
  const problem = dataFolderPathProblems(dataDir).find((p) => p.component === 'postgres');
  if (problem) return new StrataError('pg-start-failed', problem.message, { dataDir, length: problem.length, limit: problem.limit });
  const found = firstNonAscii(path.win32.resolve(dataDir));
  return found !== null && ansiCodePage !== UTF8_CODE_PAGE ? postgresCharactersError(dataDir, found) : null;
}

/** The ANSI code page from `reg query HKLM\SYSTEM\CurrentControlSet\Control\Nls\CodePage /v ACP`, or null. */
export function parseAnsiCodePage(output: string): number | null {
  const m = /^\s*ACP\s+REG_SZ\s+(\d+)\s*$/mu.exec(output);
  return m ? Number(m[1]) : null;
}
