/**
 * What only root can set up: a real full disk (a small tmpfs as the data folder) and a data
 * folder inside a directory the unprivileged server account cannot enter. Elsewhere Vitest
 * reports these as skipped; CI here runs as root.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensurePacked } from '../../../scripts/postgres/pack';
import { expectCode } from '../conformance/expect-code';
import { ensurePortableServer } from './portable-server';
import { REPO_RESOURCES } from './test-server-setup';

const canMount = process.getuid?.() === 0 && process.platform === 'linux';
let work: string | null = null;
let mountPoint: string | null = null;

function smallDisk(megabytes: number): string {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pg-disk-'));
  // The server account must be able to pass through (but not list) the folder above the disk.
  fs.chmodSync(work, 0o711);
  mountPoint = path.join(work, 'disk');
  fs.mkdirSync(mountPoint);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m,mode=0755`, 'tmpfs', mountPoint]);
  return mountPoint;
}

/** Writes a filler file until the disk has no byte left. */
function fill(dir: string): string {
  const filler = path.join(dir, 'filler');
  const fd = fs.openSync(filler, 'w');
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

beforeAll(async () => {
  if (canMount) await ensurePacked(REPO_RESOURCES);
}, 180_000);

afterEach(() => {
  if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
  if (work) fs.rmSync(work, { recursive: true, force: true });
  mountPoint = null;
  work = null;
});

describe('portable server on a full disk', () => {
  it.runIf(canMount)('says the disk is full before extracting into too small a disk, and leaves nothing', async () => {
    const dataDir = smallDisk(40);
    const error = await expectCode(ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES }), 'disk-full');
    expect(error.message).toMatch(/disk holding .* is full.*extract the PostgreSQL server.*Free some space/su);
    expect(fs.readdirSync(path.join(dataDir, 'postgres'))).toEqual([]);
  });

  it.runIf(canMount)('says the disk is full when a start cannot write, and starts once space is freed', async () => {
    const dataDir = smallDisk(220);
    const first = await ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES });
    await first.stop();
    const filler = fill(dataDir);

    const error = await expectCode(ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES }), 'disk-full');
    expect(error.message).toMatch(/is full/u);
    expect(error.details).toMatchObject({ dir: expect.stringContaining(dataDir) as unknown });

    fs.rmSync(filler);
    const again = await ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES });
    expect(again.port).toBeGreaterThan(0);
    await again.stop();
  });
});

describe('portable server run by root', () => {
  it.runIf(canMount)('names a parent folder the server account cannot enter, and what to do', async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pg-closed-'));
    const dataDir = path.join(work, 'Strata');
    fs.mkdirSync(dataDir);
    // mkdtemp made `work` 0700: the strata-pg account cannot pass through it.
    const error = await expectCode(ensurePortableServer({ dataDir, resourcesDir: REPO_RESOURCES }), 'pg-start-failed');
    expect(error.message).toContain(`cannot enter ${work}`);
    expect(error.message).toContain('chmod o+x');
    expect(fs.statSync(work).mode & 0o777).toBe(0o700);
    // Found before the first-use extraction, not after it.
    expect(fs.readdirSync(path.join(dataDir, 'postgres'))).toEqual([]);
  });
});
