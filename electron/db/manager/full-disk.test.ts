/**
 * A real full disk (the data folder on a small tmpfs; mounting needs root, which CI has here)
 * under a move to PGlite, whose embedded Postgres must never meet ENOSPC: it would loop in
 * XLogFlush without returning. The copy stops with disk-full while room is left, within
 * seconds; the move is paused, its copy can be discarded, and the preflight speaks in the
 * unit that fits.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MoveProgress } from '../../../shared/manager';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { freeDiskBytes } from '../free-disk';
import { ENGINES } from '../engines/registry';
import { DatabaseManager } from './database-manager';
import { writeGeneratedNzb } from '../../../scripts/generate/nzb-file-generator';
import { RESERVE_FILE, ensureReserve } from '../disk-reserve';
import type { CallContext } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import { LOCAL_POLICY } from '../ipc/host-policy';

const QUIET = { autoMoves: false, planEveryMs: 0 } as const;
const canMount = process.platform === 'linux' && process.getuid?.() === 0;

async function seeded(dir: string, segments: number): Promise<void> {
  const manager = await DatabaseManager.open(dir, QUIET);
  await manager.write('seed', async (store) => {
    const c = await store.createCollection({ name: 'Trial', source: 'nzb' });
    await store.ingest(c.id, generateCatalog({ segments, seed: 5, batchSegments: 10_000 }));
  });
  await manager.close();
}

/** Writes a file until only `leave` bytes stay free. */
function fillUntil(file: string, leave: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (;;) {
      const free = freeDiskBytes(path.dirname(file));
      if (free <= leave) return;
      fs.writeSync(fd, Buffer.alloc(Math.min(1 << 20, free - leave), 1));
    }
  } finally {
    fs.closeSync(fd);
  }
}

describe.skipIf(!canMount)('a full disk under a move to PGlite', () => {
  let dir: string;
  let mount: string;
  beforeEach(() => {
    dir = makeTempDir('full-disk');
    mount = path.join(dir, 'small-disk');
    fs.mkdirSync(mount);
  });
  afterEach(() => {
    execFileSync('umount', ['-l', mount]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses up front with sizes in the unit that fits when the copy cannot fit', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=60m', 'tmpfs', mount]);
    await seeded(mount, 60_000);
    const manager = await DatabaseManager.open(mount, QUIET);
    try {
      const error = await expectCode(manager.migrate({ to: 'pglite' }), 'disk-full');
      // 48 MB for an empty cluster, ~266 bytes per row, a 64 MB floor: about 133 MB, against < 60 MB free.
      expect(error.message).toMatch(/needs about 1\d\d\.\d MB free beside it and the disk has \d\d\.\d MB/u);
      expect(error.message).not.toMatch(/undefined| 0 GB/u);
      expect((await manager.status()).store.engine).toBe('sqlite');
    } finally {
      await manager.close();
    }
  }, 120_000);

  it('stops the copy with disk-full within seconds when the disk fills during it, and discards the copy on request', async () => {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=200m', 'tmpfs', mount]);
    await seeded(mount, 60_000);
    const manager = await DatabaseManager.open(mount, QUIET);
    try {
      let copying = false;
      const moving = manager.migrate({ to: 'pglite' }, (p: MoveProgress) => {
        if (p.phase === 'copy' && p.rows > 0) copying = true;
      });
      const outcome = moving.then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      while (!copying) {
        if ((await Promise.race([outcome, new Promise((r) => setTimeout(() => r('wait'), 100))])) !== 'wait') break;
      }
      expect(copying).toBe(true);
      // Another program leaves less than the copy keeps free, but enough that nothing has failed yet.
      fillUntil(path.join(mount, 'filler.bin'), ENGINES.pglite.copyCost.floorBytes - 24_000_000);
      const filled = Date.now();
      const error = await outcome;
      const stoppedMs = Date.now() - filled;
      expect(error?.code).toBe('disk-full');
      expect(error?.message).toMatch(/nearly full \(\d+\.\d MB free/u);
      expect(stoppedMs).toBeLessThan(20_000);
      const status = await manager.status();
      expect(status.store.engine).toBe('sqlite');
      expect(status.interrupted?.to.engine).toBe('pglite');
      const copy = path.join(mount, status.interrupted?.to.location ?? '');
      expect(fs.existsSync(copy)).toBe(true);
      expect((await manager.read(null, (s) => s.stats())).segments).toBe(60_000);
      expect((await manager.discardInterrupted())?.engine).toBe('pglite');
      expect(fs.existsSync(copy)).toBe(false);
    } finally {
      await manager.close();
    }
  }, 300_000);
});

describe.skipIf(!canMount)('a full disk under the other jobs (tier 1)', () => {
  let dir: string;
  let mount: string;
  beforeEach(() => {
    dir = makeTempDir('full-jobs');
    mount = path.join(dir, 'small-disk');
    fs.mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', mount]);
  });
  afterEach(() => {
    execFileSync('umount', ['-l', mount]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('import, export and backup stop with disk-full and keep nothing half-written; the reserve lets the next open clean up', async () => {
    const data = path.join(mount, 'data');
    await seeded(data, 20_000);
    // The default reserve is written only with 256 MB free; this disk is smaller.
    expect(ensureReserve(data, { bytes: 4_000_000, writeWhenFreeAbove: 10_000_000 })).toBe(true);
    const nzb = path.join(dir, 'big.nzb');
    await writeGeneratedNzb(nzb, 40_000, 3);
    let manager = await DatabaseManager.open(data, QUIET);
    const ctx: CallContext = { signal: new AbortController().signal, session: {}, progress: () => undefined };
    const before = await manager.read(null, (s) => s.stats());
    fillUntil(path.join(mount, 'filler.bin'), 0);
    try {
      const handlers = createHandlers(manager, LOCAL_POLICY);
      const started = Date.now();
      const imported = await handlers['nzb/import']({ collectionId: 1, paths: [nzb] }, ctx);
      expect(imported.failed).toBe(1);
      expect(imported.results[0]?.error?.code).toBe('disk-full');
      expect(Date.now() - started).toBeLessThan(20_000);
      const out = path.join(mount, 'out');
      await expectCode(handlers['nzb/export']({ collectionId: 1, destination: path.join(out, 'all.nzb') }, ctx), 'disk-full');
      await expectCode(handlers['catalog/backup']({ destination: path.join(out, 'backup.db') }, ctx), 'disk-full');
      expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    } finally {
      await manager.close();
    }
    // The next open finds the disk full and gives the reserve back first.
    manager = await DatabaseManager.open(data, QUIET);
    try {
      expect(fs.existsSync(path.join(data, RESERVE_FILE))).toBe(false);
      const after = await manager.read(null, (s) => s.stats());
      expect({ files: after.files, segments: after.segments }).toEqual({ files: before.files, segments: before.segments });
    } finally {
      await manager.close();
    }
    fs.rmSync(path.join(mount, 'filler.bin'));
    expect(ensureReserve(data, { bytes: 4_000_000, writeWhenFreeAbove: 10_000_000 })).toBe(true);
  }, 180_000);
});
