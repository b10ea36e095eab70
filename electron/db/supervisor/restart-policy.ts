/**
 * When to restart a database process that died: at once the first time, then backing off,
 * and not at all after too many crashes in a short time (a crash loop would otherwise spin
 * and hide the error). A pure function of the crash history, tested without processes.
 */
export interface RestartDecision {
  restart: boolean;
  delayMs: number;
}

export const CRASH_WINDOW_MS = 60_000;
export const MAX_CRASHES_IN_WINDOW = 5;
const DELAYS_MS = [0, 500, 2_000, 5_000, 10_000];

/** `crashTimes` holds every crash so far (this one included), in milliseconds. */
export function restartDecision(crashTimes: readonly number[], now: number): RestartDecision {
  const recent = crashTimes.filter((t) => now - t <= CRASH_WINDOW_MS).length;
  if (recent > MAX_CRASHES_IN_WINDOW) return { restart: false, delayMs: 0 };
  return { restart: true, delayMs: DELAYS_MS[Math.min(recent, DELAYS_MS.length) - 1] ?? 0 };
}
