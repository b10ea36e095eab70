/**
 * CPU time a process tree has used, read from /proc (Linux): on this shared 2-core machine the
 * load from other work stretches wall times by 2-10x, while the CPU a migration makes each
 * side spend (the migrating process, and the PostgreSQL server's backends) barely moves.
 * A process's own time plus that of its children it has reaped (stat fields 14-17); children
 * still running are added from their own stat, as a backend's time reaches its postmaster's
 * only when it exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { processTree } from './migrate-peak-rss';

const TICKS_PER_SECOND = 100;

function statTicks(pid: number, withReaped: boolean): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name, field 3 is at index 0: utime is field 14, cstime field 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const own = (fields[11] as number) + (fields[12] as number);
    return withReaped ? own + (fields[13] as number) + (fields[14] as number) : own;
  } catch {
    return 0;
  }
}

/** CPU milliseconds of `root` and every process below it, including the children it has reaped. */
export function treeCpuMs(root: number): number {
  const [first, ...rest] = processTree(root);
  let ticks = statTicks(first as number, true);
  // A running child's reaped children are not in the root's figures yet either.
  for (const pid of rest) ticks += statTicks(pid, true);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The postmaster of a portable server whose cluster lies somewhere under `dataDir`. */
export function postmasterPid(dataDir: string): number | null {
  const pending = [dataDir];
  for (let dir = pending.shift(); dir !== undefined; dir = pending.shift()) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.isFile() && entry.name === 'postmaster.pid') {
        const pid = Number(fs.readFileSync(path.join(dir, entry.name), 'utf8').split('\n')[0]);
        return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
      }
      if (entry.isDirectory() && pending.length < 1000) pending.push(path.join(dir, entry.name));
    }
  }
  return null;
}

/**
 * The server's CPU so far by process kind: each live child of the postmaster by its title
 * (checkpointer, walwriter, autovacuum launcher, ...; client backends together), and
 * everything that has exited (client backends of closed connections, autovacuum workers,
 * parallel workers) from the postmaster's reaped-children times. Differences of two readings
 * say which kind of process used the server's CPU between them.
 */
export function serverCpuByKind(postmaster: number): Record<string, number> {
  const out: Record<string, number> = { 'postmaster and exited processes': (statTicks(postmaster, true) * 1000) / TICKS_PER_SECOND };
  for (const pid of processTree(postmaster).slice(1)) {
    let title = 'unknown';
    try {
      title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/gu, ' ').trim();
    } catch {
      continue;
    }
    // "postgres: user db 127.0.0.1(port) idle" is a client backend; others name their role.
    const kind = /\d+\.\d+\.\d+\.\d+\(\d+\)/u.test(title) ? 'client backends (live)' : title.replace(/^postgres:\s*/u, '');
    out[kind] = (out[kind] ?? 0) + (statTicks(pid, true) * 1000) / TICKS_PER_SECOND;
  }
  return out;
}

export function cpuDelta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, ms] of Object.entries(after)) {
    const delta = Math.round(ms - (before[kind] ?? 0));
    if (delta !== 0) out[kind] = delta;
  }
  return out;
}
