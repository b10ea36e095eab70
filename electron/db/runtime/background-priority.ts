/**
 * Long background work (a move of the whole catalog) runs at below-normal CPU priority, so that
 * on a machine with few cores the window the user scrolls wins the cores whenever both want
 * them, and the move takes what is left. An idle machine gives the move every core as before.
 *
 * The scope differs by platform, and both are what the desktop app needs:
 * - Windows: the priority class of the whole database process (BELOW_NORMAL_PRIORITY_CLASS); the
 *   window's renderer is another process and keeps its normal class. Restored afterwards.
 * - Linux: the nice value of every thread of the process (Linux keeps one per thread): the main
 *   thread, which runs the copy, the threads it starts meanwhile (a sharded target's writers
 *   inherit it), and those that already run: V8's garbage-collector helpers and libuv's pool,
 *   which a copy of millions of rows keeps busy and which at normal priority took the cores
 *   from the window (a 34 ms task of the page took 99 ms of wall time during a move). Lowering
 *   is always allowed; raising it back needs privilege (RLIMIT_NICE), so an ordinary user's
 *   process keeps the lower priority until it restarts, which only means its work yields to
 *   other programs under contention.
 * - Linux with autogroups (the kernel default, `/proc/sys/kernel/sched_autogroup_enabled`): the
 *   scheduler first shares the cores fairly between sessions and only then by nice value inside
 *   each, so a nice value orders the process against the window only when both are in one
 *   session, as the desktop app's database process and its window are. The headless host's
 *   pages run in a browser, another program in another session (the desktop's, or its own: a
 *   browser started by a script calls setsid); there a move at nice 10 still took half the cores,
 *   and a 23 ms task of the page took 53 ms of wall time. So the host also lowers its session's
 *   group (`/proc/self/autogroup`) while a move runs, and puts it back after (the kernel allows an
 *   unprivileged process to set its group to any nice value from 0 up). The app does not: its
 *   window shares the session, and lowering the group would make the window yield too.
 */
import fs from 'node:fs';
import os from 'node:os';

const BELOW_NORMAL = os.constants.priority.PRIORITY_BELOW_NORMAL;

/** Whether background work also lowers this process's session group (the headless host). */
let lowersSessionGroup = false;

/**
 * Background work in this process also lowers its session's scheduling group (Linux autogroups):
 * for a process whose user interface is another program in another session, the headless host.
 */
export function yieldSessionGroupInBackground(): void {
  lowersSessionGroup = true;
}

let depth = 0;
/** The session group's nice value before, to restore (null: not lowered). */
let groupBefore: number | null = null;
/** What each lowered thread (0: the calling one) ran at before, to restore. */
let before: Map<number, number> | null = null;

/** The process's other threads where the OS gives each its own priority (Linux); none elsewhere. */
function otherThreads(): number[] {
  if (process.platform !== 'linux') return [];
  try {
    return fs
      .readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isInteger(tid) && tid !== process.pid);
  } catch {
    return [];
  }
}

const AUTOGROUP = '/proc/self/autogroup';

/** The nice value of this process's session group ("/autogroup-42 nice 0"); null where there is none. */
function sessionGroupNice(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const match = /nice\s+(-?\d+)/u.exec(fs.readFileSync(AUTOGROUP, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // autogroups are off (the file is absent) or unreadable
  }
}

/** A change the kernel refused for now, to try again; a newer change replaces it. */
let retry: NodeJS.Timeout | null = null;

function setSessionGroupNice(nice: number, retries: number): void {
  // A restore must not be overtaken by the retry of the lowering before it (a short move).
  if (retry !== null) clearTimeout(retry);
  retry = null;
  try {
    fs.writeFileSync(AUTOGROUP, String(nice));
  } catch (e) {
    // The kernel refuses a second change within 0.1 s from an unprivileged process (EAGAIN).
    if (retries > 0 && (e as NodeJS.ErrnoException).code === 'EAGAIN') {
      retry = setTimeout(() => setSessionGroupNice(nice, retries - 1), 150).unref();
    }
    // Otherwise the group keeps the value it has: only the threads' nice values order the work.
  }
}

function lowerSessionGroup(): void {
  if (!lowersSessionGroup) return;
  const nice = sessionGroupNice();
  if (nice === null || nice >= BELOW_NORMAL) return;
  groupBefore = nice;
  setSessionGroupNice(BELOW_NORMAL, 3);
}

function restoreSessionGroup(): void {
  if (groupBefore === null) return;
  const was = groupBefore;
  groupBefore = null;
  setSessionGroupNice(was, 3);
}

function lower(): void {
  if (depth++ > 0) return;
  lowerSessionGroup();
  before = new Map();
  for (const tid of [0, ...otherThreads()]) {
    try {
      const was = os.getPriority(tid);
      // A higher nice value is a lower priority; never raise one the user already lowered.
      if (was < BELOW_NORMAL) os.setPriority(tid, BELOW_NORMAL);
      before.set(tid, was);
    } catch {
      // The platform refused, or the thread has ended: it runs at the priority it has.
    }
  }
}

function restore(): void {
  if (--depth > 0 || before === null) return;
  restoreSessionGroup();
  const was = before;
  before = null;
  for (const [tid, priority] of was) {
    try {
      if (os.getPriority(tid) !== priority) os.setPriority(tid, priority);
    } catch {
      // Not allowed to raise it again (Linux without privilege, see above), or the thread ended.
    }
  }
}

/** Runs `work` at below-normal priority; nested and overlapping calls restore once, at the end of the last. */
export async function atBackgroundPriority<T>(work: () => Promise<T>): Promise<T> {
  lower();
  try {
    return await work();
  } finally {
    restore();
  }
}
