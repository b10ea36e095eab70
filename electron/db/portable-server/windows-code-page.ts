/**
 * Windows' ANSI code page, which decides whether PostgreSQL can take a path with characters
 * outside ASCII (see win-paths.ts). Read from the registry value Windows itself uses at boot,
 * with reg.exe from System32 (always present; no PowerShell start-up). The parsing is pure and
 * lives beside the rule in win-paths.ts; this is the thin probe.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { parseAnsiCodePage } from '../win-paths';

export type RunReg = () => Promise<string>;

const runReg: RunReg = () =>
  new Promise((resolve, reject) => {
    const exe = path.win32.join(process.env.SystemRoot ?? process.env.windir ?? 'C:\\Windows', 'System32', 'reg.exe');
    execFile(exe, ['query', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', '/v', 'ACP'], { windowsHide: true, timeout: 10_000 }, (error, stdout) =>
      error ? reject(new Error(`reg query failed: ${error.message}`)) : resolve(stdout),
    );
  });

/** The ANSI code page on Windows; null elsewhere or when it cannot be read. */
export async function probeAnsiCodePage(platform: NodeJS.Platform = process.platform, run: RunReg = runReg): Promise<number | null> {
  if (platform !== 'win32') return null;
  try {
    return parseAnsiCodePage(await run());
  } catch {
    return null;
  }
}
