/**
 * Fault injection for the kill tests only: `STRATA_CRASH_AT=<point>[@<n>]` makes the process
 * SIGKILL itself the n-th time (default: the first) it passes the named point. A kill at an
 * exact state boundary (a table marked copied, indexes rebuilt, verified, switched) is what a
 * random kill hits only by luck, and each of those states is one a resume must handle.
 * Unset in normal use, where this costs one comparison per point passed.
 */
const SPEC = process.env.STRATA_CRASH_AT ?? '';
const AT = SPEC.includes('@') ? SPEC.slice(0, SPEC.lastIndexOf('@')) : SPEC;
const NTH = SPEC.includes('@') ? Number(SPEC.slice(SPEC.lastIndexOf('@') + 1)) : 1;
let hits = 0;

export function crashPoint(name: string): void {
  if (AT === '' || name !== AT) return;
  hits += 1;
  if (hits === NTH) process.kill(process.pid, 'SIGKILL');
}
