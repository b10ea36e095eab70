import { describe, expect, it } from 'vitest';
import { RwLock } from './rw-lock';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('RwLock', () => {
  it('lets readers overlap and keeps writers alone', async () => {
    const lock = new RwLock();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const r1 = lock.shared(async () => {
      log.push('r1 in');
      await gate;
      log.push('r1 out');
    });
    const r2 = lock.shared(() => log.push('r2'));
    const w = lock.exclusive(() => log.push('w'));
    const r3 = lock.shared(() => log.push('r3'));
    await tick();
    // r2 entered beside r1; the writer waits for r1, and r3 queues behind the writer.
    expect(log).toEqual(['r1 in', 'r2']);
    release();
    await Promise.all([r1, r2, w, r3]);
    expect(log).toEqual(['r1 in', 'r2', 'r1 out', 'w', 'r3']);
  });

  it('releases the lock when the body throws', async () => {
    const lock = new RwLock();
    await expect(lock.exclusive(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.exclusive(() => 7)).resolves.toBe(7);
  });
});
