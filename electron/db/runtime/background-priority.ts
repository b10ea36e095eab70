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
 */
import fs from 'node:fs';
import os from 'node:os';

const BELOW_NORMAL = os.constants.priority.PRIORITY_BELOW_NORMAL;

let depth = 0;
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

function lower(): void {
  if (depth++ > 0) return;
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
