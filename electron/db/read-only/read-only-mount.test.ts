/**
 * The database manager on a real read-only file system: a read-only bind mount of a catalog
 * folder (EROFS, which even root cannot write). Needs root to mount; elsewhere Vitest reports
 * it as skipped, and read-only-folder.test.ts covers the same ground by permissions.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStrataError } from '../../../shared/errors';
import { DatabaseManager } from '../manager/database-manager';
import { readOnlyState } from './folder-access';

const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

describe.skipIf(!isRoot)('a data folder on a read-only mount', () => {
  let root: string;
  let source: string;
  let mounted: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ro-mount-'));
    source = path.join(root, 'source');
    mounted = path.join(root, 'mounted');
    fs.mkdirSync(mounted);
    const manager = await DatabaseManager.open(source, { autoMoves: false, planEveryMs: 0 });
    await manager.write('create a collection', (s) => s.createCollection({ name: 'Shelf', source: 'nzb' }));
    await manager.close();
    execFileSync('mount', ['--bind', source, mounted]);
    execFileSync('mount', ['-o', 'remount,bind,ro', mounted]);
  }, 60_000);

  afterAll(() => {
    try {
      // Lazy: a handle a failed case left open must not keep the mount (and the folder) behind.
      execFileSync('umount', ['-l', mounted]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('is found read-only by trying to write, and the manager reads it, says so and refuses changes', async () => {
    expect(readOnlyState(source)).toBeNull();
    const state = readOnlyState(mounted);
    expect(state?.path).toBe(mounted);
    expect(state?.reason).toContain('EROFS');
    const before = fs.readdirSync(mounted).sort();

    const manager = await DatabaseManager.open(mounted, { readOnly: state ?? undefined, autoMoves: false, planEveryMs: 0 });
    try {
      const collections = await manager.read(null, (s) => s.listCollections());
      expect(collections.map((c) => c.name)).toEqual(['Shelf']);
      expect((await manager.status()).readOnly).toEqual(state);
      expect((await manager.check()).ok).toBe(true);
      const refused = await manager.write('create a collection', (s) => s.createCollection({ name: 'Other', source: 'nzb' })).catch((e: unknown) => e);
      expect(isStrataError(refused, 'read-only')).toBe(true);
      expect(() => manager.updateSettings({ sharedAccess: true })).toThrow(/read-only/u);
      expect(() => manager.migrate({ to: 'sharded' })).toThrow(/read-only/u);
    } finally {
      await manager.close();
    }
    expect(fs.readdirSync(mounted).sort()).toEqual(before);
  }, 60_000);

  it('is opened writable when the manager is not told: the open fails on the mount, which is why the callers ask first', async () => {
    await expect(DatabaseManager.open(mounted, { autoMoves: false, planEveryMs: 0 })).rejects.toThrow();
  }, 60_000);
});
