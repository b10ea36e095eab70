/**
 * postmaster.pid, the lock file a running server keeps in its data folder (line 1: pid,
 * line 2: data folder, line 4: port, last line: status). A server that died (crash, power cut,
 * kill) leaves it behind. PostgreSQL cleans up such a file itself only when no process has that
 * pid; after a reboot the pid often belongs to some other program, and the server then refuses
 * to start. So before a start Strata decides: a postgres still running on this data folder is
 * an orphan of an earlier app session (stopped, then started fresh); anything else is stale.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface PidFile {
  pid: number;
  dataDir: string;
  port: number | null;
}

export function readPidFile(pgData: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(pgData, 'postmaster.pid'), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  // A file cut short by a crash during its write is stale by definition.
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDir: '', port: null };
  const port = Number(lines[3]);
  return { pid, dataDir: lines[1] ?? '', port: Number.isInteger(port) && port > 0 ? port : null };
}

export function removePidFile(pgData: string): void {
  fs.rmSync(path.join(pgData, 'postmaster.pid'), { force: true });
}

export function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, it just belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/**
 * A process that has exited but was not yet reaped still answers kill(pid, 0). The children of
 * a killed postmaster are handed to init, and not every init (containers, microVMs) reaps
 * promptly, so on Linux such a process counts as gone.
 */
function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** The command line of a process, or null if it cannot be read (gone, or not ours to see). */
function commandLine(pid: number): string | null {
  try {
    if (process.platform === 'linux') return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/gu, ' ');
    if (process.platform === 'win32') {
      return execFileSync('tasklist', ['/FI', `PID eq ${pid}`, '/FO', 'CSV', '/NH'], { encoding: 'utf8', windowsHide: true });
    }
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

/**
 * Whether `pid` is the postmaster of `pgData`. The data folder must be on its command line
 * (Strata starts it with `-D <pgData>`): a postgres serving another cluster on this machine
 * (another app's, a system server) that happens to hold a recycled pid is never touched.
 * tasklist on Windows shows no command line, so there the image name has to do.
 */
export function isPostmasterOf(pid: number, pgData: string): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  if (cmd === null || !/(^|[\\/\s"])postgres(\.exe)?(\s|"|:|$)/iu.test(cmd)) return false;
  return process.platform === 'win32' || cmd.includes(pgData);
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}
