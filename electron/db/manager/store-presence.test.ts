/**
 * A lost store is an error that names it, never an empty catalog: the active store deleted,
 * truncated to 0 bytes or its folder removed, and control.db itself lost, on real files, with
 * the explicit ways out (adopt a store found in the folder, start empty on request).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { DatabaseManager } from './database-manager';
import { migrateDataFolder } from '../migration/migrate-data-folder';
import { adoptStore, recoveryReport, startEmpty } from './recover-data-folder';

let dir: string;

beforeEach(() => {
  dir = makeTempDir('store-presence');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A data folder whose manager has seen a catalog of `segments` segments (a size sample). */
async function filledFolder(options: { engine?: 'sqlite' | 'sharded'; segments?: number } = {}): Promise<{ files: number }> {
  const manager = await DatabaseManager.open(dir, { open: options.engine ? { engine: options.engine } : {}, autoMoves: false, planEveryMs: 0 });
  try {
    const collection = await manager.write('create', (s) => s.createCollection({ name: 'Kept', source: 'nzb' }));
    await manager.write('ingest', (s) => s.ingest(collection.id, generateCatalog({ segments: options.segments ?? 2_000, seed: 3 })));
    // The sample that records what the folder held (the manager takes one when due).
    const stats = await manager.read(null, (s) => s.stats());
    await manager.close();
    // A fresh open samples again, as every start does.
    const again = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    await again.close();
    return { files: stats.files };
  } catch (error) {
    await manager.close().catch(() => undefined);
    throw error;
  }
}

const open = (): Promise<DatabaseManager> => DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });

async function filesIn(): Promise<number> {
  const manager = await open();
  try {
    return (await manager.read(null, (s) => s.stats())).files;
  } finally {
    await manager.close();
  }
}

describe('a missing active store', () => {
  it('a deleted strata.db is refused by name, and no empty catalog appears in its place', async () => {
    const { files } = await filledFolder();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `strata.db${suffix}`), { force: true });
    const error = await expectCode(open(), 'store-missing');
    expect(error.message).toContain(path.join(dir, 'strata.db'));
    expect(error.message).toContain(`${files.toLocaleString('en-US')} files`);
    expect(error.message).toContain('strata restore');
    expect(error.message).toContain('strata recover --start-empty');
    expect(error.details?.presence).toBe('missing');
    expect(fs.existsSync(path.join(dir, 'strata.db'))).toBe(false);
  });

  it('a strata.db truncated to 0 bytes is refused, and left as it is', async () => {
    await filledFolder();
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(dir, `strata.db${suffix}`), { force: true });
    fs.truncateSync(path.join(dir, 'strata.db'), 0);
    const error = await expectCode(open(), 'store-missing');
    expect(error.details?.presence).toBe('empty');
    expect(fs.statSync(path.join(dir, 'strata.db')).size).toBe(0);
  });

  it('a removed sharded store folder is refused', async () => {
    await filledFolder({ engine: 'sharded' });
    fs.rmSync(path.join(dir, 'sharded'), { recursive: true });
    const error = await expectCode(open(), 'store-missing');
    expect(error.message).toContain('sharded catalog');
    expect(fs.existsSync(path.join(dir, 'sharded'))).toBe(false);
  });

  it('a removed stores/ copy offers the previous store, and adopting it brings the catalog back', async () => {
    const { files } = await filledFolder();
    await migrateDataFolder(dir, { to: 'sharded', shards: 2 });
    await open().then((m) => m.close());
    const report = recoveryReport(dir);
    expect(report.active?.engine).toBe('sharded');
    fs.rmSync(path.join(dir, report.active?.location ?? 'none'), { recursive: true });
    const error = await expectCode(open(), 'store-missing');
    expect(error.details?.previous).toBe('strata.db');
    expect(error.message).toContain('strata recover --adopt strata.db');
    await adoptStore(dir, 'strata.db');
    expect(await filesIn()).toBe(files);
  });

  it('starting empty is explicit, goes to a new place and leaves the truncated file alone', async () => {
    await filledFolder();
    for (const suffix of ['-wal', '-shm']) fs.rmSync(path.join(dir, `strata.db${suffix}`), { force: true });
    fs.truncateSync(path.join(dir, 'strata.db'), 0);
    await expectCode(open(), 'store-missing');
    const record = await startEmpty(dir);
    expect(record.location).not.toBe('strata.db');
    expect(await filesIn()).toBe(0);
    expect(fs.statSync(path.join(dir, 'strata.db')).size).toBe(0);
  });

  it('a new folder still starts by itself, and a store that was never opened may be created', async () => {
    expect(await filesIn()).toBe(0);
    expect(fs.existsSync(path.join(dir, 'strata.db'))).toBe(true);
  });
});

describe('a lost control.db', () => {
  it('lists the stores the folder holds instead of adopting one, and adopting the right one restores the catalog', async () => {
    const { files } = await filledFolder();
    await migrateDataFolder(dir, { to: 'sharded', shards: 2 });
    const active = recoveryReport(dir).active?.location as string;
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `control.db${suffix}`), { force: true });
    const error = await expectCode(open(), 'control-missing');
    expect(error.message).toContain(active);
    expect(error.message).toContain('strata.db');
    expect(error.message).toContain('strata recover --adopt');
    const found = (error.details?.found as { location: string }[]).map((f) => f.location).sort();
    expect(found).toEqual([active, 'strata.db'].sort());
    await expectCode(adoptStore(dir, 'stores/nothing-here'), 'not-found');
    await adoptStore(dir, active);
    const manager = await open();
    try {
      expect(manager.activeRecord.location).toBe(active);
      expect((await manager.read(null, (s) => s.stats())).files).toBe(files);
    } finally {
      await manager.close();
    }
  });

  it('a folder from before control.db (one strata.db) is still adopted without a question', async () => {
    const { files } = await filledFolder();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `control.db${suffix}`), { force: true });
    expect(await filesIn()).toBe(files);
  });
});
