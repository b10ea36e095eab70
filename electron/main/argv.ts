/**
 * Which NZB files a launch was asked to open: double-clicked files arrive as arguments, on
 * the first launch and forwarded by the single-instance lock on later ones. Pure, so the
 * rules are tested without Electron, with the argv shapes Windows produces.
 *
 * Explorer starts `"…\Strata.exe" "%1"` per file (electron-builder's association); a multiple
 * selection opened at once arrives as several launches, or as several arguments from other
 * launchers. Chromium adds switches of its own to the argv the running instance receives
 * (`--allow-file-access-from-files`, `--original-process-start-time=…`) and may reorder them,
 * which is why Electron recommends forwarding the data itself: the second instance parses its
 * own argv and passes the result as the lock's additionalData (see `forwardedNzbPaths`).
 */
import path from 'node:path';

const NZB = /\.nzb(\.gz)?$/iu;

export interface ArgvOptions {
  /** Whose path rules apply: Windows paths are resolved and compared as Windows does. */
  platform?: NodeJS.Platform;
}

const pathsOf = (platform: NodeJS.Platform): path.PlatformPath => (platform === 'win32' ? path.win32 : path.posix);

/** A path that names one place whatever the current folder: `C:\…` or `\\server\share\…` on Windows (not `\x` or `C:x`). */
const isFullPath = (p: string, platform: NodeJS.Platform): boolean => (platform === 'win32' ? /^([a-z]:[\\/]|[\\/]{2}[^\\/])/iu.test(p) : p.startsWith('/'));

/** Distinct paths, in first-seen order; on Windows compared case-insensitively, as NTFS does. */
function distinct(paths: string[], platform: NodeJS.Platform): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = platform === 'win32' ? p.toLowerCase() : p;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function nzbPathsFromArgv(argv: readonly string[], cwd: string, options: ArgvOptions = {}): string[] {
  const platform = options.platform ?? process.platform;
  const p = pathsOf(platform);
  const out: string[] = [];
  let positionalOnly = false;
  // argv[0] is the executable; in development argv[1] is the app folder (not an .nzb, so skipped).
  for (const raw of argv.slice(1)) {
    // After `--` everything is a file, even one whose name starts with a dash.
    if (!positionalOnly && raw === '--') {
      positionalOnly = true;
      continue;
    }
    if (!positionalOnly && raw.startsWith('-')) continue;
    // Some launchers hand over a path still quoted, or with the spaces around it.
    const arg = raw.trim().replace(/^"(.*)"$/u, '$1');
    if (!NZB.test(arg) || arg.includes('\u0000')) continue;
    out.push(p.resolve(cwd, arg));
  }
  return distinct(out, platform);
}

/** What a second instance sends the running one through requestSingleInstanceLock. */
export interface SingleInstanceData {
  nzbPaths: string[];
}

/** The additionalData this instance passes to requestSingleInstanceLock. */
export function singleInstanceData(argv: readonly string[], cwd: string, options: ArgvOptions = {}): SingleInstanceData {
  return { nzbPaths: nzbPathsFromArgv(argv, cwd, options) };
}

/**
 * The files a second instance asked the running one to open. Its additionalData is the
 * instance's own parse of its argv, so it is preferred; it crosses a process boundary, so only
 * absolute .nzb / .nzb.gz paths are taken from it. Without it (an older Strata started second),
 * the argv Chromium forwarded is parsed.
 */
export function forwardedNzbPaths(argv: readonly string[], cwd: string, additionalData: unknown, options: ArgvOptions = {}): string[] {
  const platform = options.platform ?? process.platform;
  const p = pathsOf(platform);
  const given = typeof additionalData === 'object' && additionalData !== null ? (additionalData as { nzbPaths?: unknown }).nzbPaths : undefined;
  if (Array.isArray(given)) {
    const paths = given.filter((x): x is string => typeof x === 'string' && x.length <= 32_767 && !x.includes('\u0000') && NZB.test(x) && isFullPath(x, platform));
    return distinct(paths.map((x) => p.normalize(x)), platform);
  }
  return nzbPathsFromArgv(argv, cwd, options);
}

/**
 * Files to open, held until the page can take them: a message sent before the preload runs is
 * lost, and Explorer may start a second instance (or the first may have been started with a
 * file) while the window is still loading. Once ready, files go straight through, in order.
 */
export class NzbOpenQueue {
  private waiting: string[] = [];
  private send: ((paths: string[]) => void) | null = null;

  open(paths: readonly string[]): void {
    if (this.send) {
      if (paths.length > 0) this.send([...paths]);
    } else this.waiting.push(...paths);
  }

  /** The page listens now: what waited goes first, then `paths` (the launch's own files). */
  ready(send: (paths: string[]) => void, paths: readonly string[] = []): void {
    this.send = send;
    const first = [...this.waiting.splice(0), ...paths];
    this.open(first);
  }
}
