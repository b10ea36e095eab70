/** The real priority of this process's thread, read back from the OS around background work. */
import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { atBackgroundPriority, yieldSessionGroupInBackground } from './background-priority';

const BELOW_NORMAL = os.constants.priority.PRIORITY_BELOW_NORMAL;
// Raising a priority back needs privilege on Linux; root and Windows may.
const canRestore = process.platform === 'win32' || process.getuid?.() === 0;

describe('atBackgroundPriority', () => {
  it('lowers the priority while the work runs, through nested calls, and restores it after', async () => {
    // Under `nice` the process may already run below normal: then nothing changes.
    const start = os.getPriority(0);
    const low = Math.max(start, BELOW_NORMAL);
    let inner = Number.NaN;
    let afterInner = Number.NaN;
    const during = await atBackgroundPriority(async () => {
      await atBackgroundPriority(async () => {
        inner = os.getPriority(0);
      });
      afterInner = os.getPriority(0);
      await new Promise((resolve) => setTimeout(resolve, 10));
      return os.getPriority(0);
    });
    expect([during, inner, afterInner]).toEqual([low, low, low]);
    expect(os.getPriority(0)).toBe(canRestore ? start : low);
  });

  it('restores the priority when the work fails', async () => {
    const start = os.getPriority(0);
    await expect(
      atBackgroundPriority(async () => {
        expect(os.getPriority(0)).toBe(Math.max(start, BELOW_NORMAL));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(os.getPriority(0)).toBe(canRestore ? start : Math.max(start, BELOW_NORMAL));
  });

  it.runIf(process.platform === 'linux')('lowers every thread the process already runs (GC helpers, the libuv pool), not only the calling one', async () => {
    const threads = (): number[] => fs.readdirSync('/proc/self/task').map(Number);
    // Threads that existed before the work: V8's platform workers at least.
    const existing = threads().filter((tid) => tid !== process.pid);
    expect(existing.length).toBeGreaterThan(0);
    const niceOf = (tid: number): number | null => {
      try {
        return os.getPriority(tid);
      } catch {
        return null; // ended meanwhile
      }
    };
    const start = existing.map(niceOf);
    const during = await atBackgroundPriority(() => Promise.resolve(existing.map(niceOf)));
    for (const nice of during) if (nice !== null) expect(nice).toBeGreaterThanOrEqual(BELOW_NORMAL);
    // Each back where it was (a thread that ended meanwhile reads null).
    if (canRestore) existing.forEach((tid, i) => expect([null, start[i]]).toContain(niceOf(tid)));
  });

  // Last in the file: from here on this module lowers the session group too, as the host's does.
  it.runIf(fs.existsSync('/proc/self/autogroup'))('in the headless host, also lowers the session group while the work runs and puts it back after', async () => {
    const groupNice = (): number => Number(/nice\s+(-?\d+)/u.exec(fs.readFileSync('/proc/self/autogroup', 'utf8'))?.[1]);
    const start = groupNice();
    const plain = await atBackgroundPriority(() => Promise.resolve(groupNice()));
    expect(plain).toBe(start);
    yieldSessionGroupInBackground();
    const during = await atBackgroundPriority(() => Promise.resolve(groupNice()));
    expect(during).toBe(Math.max(start, BELOW_NORMAL));
    // Back where it was (an unprivileged process may set its group to any value from 0 up).
    await expect.poll(groupNice, { timeout: 2_000 }).toBe(start);
  });
});
