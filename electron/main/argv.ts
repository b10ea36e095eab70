/**
 * Which NZB files a launch was asked to open: double-clicked files arrive as arguments, on
 * the first launch and forwarded by the single-instance lock on later ones. Pure, so the
 * rules are tested without Electron.
 */
import path from 'node:path';

export function nzbPathsFromArgv(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  // argv[0] is the executable; in development argv[1] is the app folder.
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (!/\.nzb(\.gz)?$/iu.test(arg)) continue;
    out.push(path.resolve(cwd, arg));
  }
  return [...new Set(out)];
}
