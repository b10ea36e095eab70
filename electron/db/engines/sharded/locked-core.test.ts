import { describe, expect, it } from 'vitest';
import type { EngineCore } from '../../store-front/engine-core';
import { lockedCore, type LockMode } from './locked-core';
import { RwLock } from './rw-lock';
import { SHARDED_LOCKS } from './sharded-locks';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/**
 * A core whose every method answers whether a writer got the lock while it ran. Values are
 * plain fields; `digestTable` is left out, as the sharded core leaves it out.
 */
function probeCore(writerRan: () => boolean): EngineCore {
  const values: Record<string, unknown> = { location: 'probe', shardCount: 3, backupLayout: 'folder', capabilities: {} };
  return new Proxy(values, {
    get(target, key) {
      if (typeof key !== 'string' || key in target || key === 'digestTable') return target[key as string];
      return async () => {
        await tick();
        await tick();
        return writerRan();
      };
    },
  }) as unknown as EngineCore;
}

describe('lockedCore', () => {
  it('exposes exactly the members the lock record names and the core has', () => {
    const locked = lockedCore(probeCore(() => false), new RwLock(), SHARDED_LOCKS);
    expect(Object.keys(locked).sort()).toEqual(Object.keys(SHARDED_LOCKS).filter((k) => k !== 'digestTable').sort());
    expect([locked.location, locked.shardCount, locked.backupLayout]).toEqual(['probe', 3, 'folder']);
    expect('digestTable' in locked).toBe(false);
  });

  it('holds the lock for the whole of a shared or exclusive call, and leaves it to a method that locks in phases', async () => {
    const calls = Object.entries(SHARDED_LOCKS).filter((e): e is [keyof EngineCore, LockMode] => e[0] !== 'digestTable' && ['shared', 'exclusive', 'in-phases'].includes(e[1]));
    expect(calls.length).toBeGreaterThan(25);
    for (const [key, mode] of calls) {
      const lock = new RwLock();
      let ran = false;
      const locked = lockedCore(probeCore(() => ran), lock, SHARDED_LOCKS);
      const call = (locked[key] as () => Promise<boolean>)();
      const writer = lock.exclusive(() => (ran = true));
      expect({ key, writerGotIn: await call }).toEqual({ key, writerGotIn: mode === 'in-phases' });
      await writer;
    }
  });
});
