/**
 * Long background work (a move of the whole catalog) runs at below-normal CPU priority, so that
 * on a machine with few cores the window the user scrolls wins the cores whenever both want
 * them, and the move takes what is left. An idle machine gives the move every core as before.
 *
 * The scope differs by platform, and both are what the desktop app needs:
 * - Windows: the priority class of the whole database process (BELOW_NORMAL_PRIORITY_CLASS); the
 *   window's renderer is another process and keeps its normal class. Restored afterwards.
 * - Linux: the nice value of the calling thread (the process's main thread, which runs the copy)
 *   and of the threads it starts meanwhile, such as a sharded target's writers. Lowering is
 *   always allowed; raising it back needs privilege (RLIMIT_NICE), so an ordinary user's
 *   process keeps the lower priority until it restarts, which only means its work yields to
 *   other programs under contention.
 */
import os from 'node:os';

const BELOW_NORMAL = os.constants.priority.PRIORITY_BELOW_NORMAL;

let depth = 0;
let before: number | null = null;

function lower(): void {
  if (depth++ > 0) return;
  try {
    before = os.getPriority(0);
    // A higher nice value is a lower priority; never raise one the user already lowered.
    if (before < BELOW_NORMAL) os.setPriority(0, BELOW_NORMAL);
  } catch {
    before = null; // The platform refused: the work runs at the priority it has.
  }
}

function restore(): void {
  if (--depth > 0 || before === null) return;
  const was = before;
  before = null;
  try {
    if (os.getPriority(0) !== was) os.setPriority(0, was);
  } catch {
    // Not allowed to raise it again (Linux without privilege): see above.
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
