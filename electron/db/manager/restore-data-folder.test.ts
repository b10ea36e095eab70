/**
 * Backups and `strata restore` on every tier, on real files and real PGlite: backups leave no
 * side files and never overwrite, never land on the data folder's own files; a restore goes to
 * a new store, is verified against what the backup recorded, and is switched to like a
 * migration; a damaged backup (cut short, bytes changed, rows missing, header counts wrong)
 * is refused with a message that says so, and leaves the active catalog as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { expectCode } from '../conformance/expect-code';
import { makeTempDir } from '../conformance/test-engines';
import { BACKUP_MANIFEST } from '../engines/sharded/sharded-maintenance';
import { DatabaseManager } from './database-manager';
import { migrateDataFolder } from '../migration/migrate-data-folder';
import { recoveryReport } from './recover-data-folder';

const open = (dir: string): Promise<DatabaseManager> => DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });

async function fill(dir: string, name: string, segments: number, engine?: 'sharded'): Promise<void> {
  const manager = await DatabaseManager.open(dir, { open: engine ? { engine, sharded: { shards: 2 } } : {}, autoMoves: false, planEveryMs: 0 });
  try {
    const collection = await manager.write('create', (s) => s.createCollection({ name, source: 'nzb' }));
    await manager.write('ingest', (s) => s.ingest(collection.id, generateCatalog({ segments, seed: name.length, pathPrefix: name })));
  } finally {
    await manager.close();
  }
}

async function counts(dir: string): Promise<{ files: number; segments: number; engine: string; location: string }> {
  const manager = await open(dir);
  try {
    const stats = await manager.read(null, (s) => s.stats());
    return { files: stats.files, segments: stats.segments, engine: manager.activeRecord.engine, location: manager.activeRecord.location };
  } finally {
    await manager.close();
  }
}

async function backup(dir: string, destination: string): Promise<string> {
  const manager = await open(dir);
  try {
    return (await manager.backup(destination)).path;
  } finally {
    await manager.close();
  }
}

async function restore(dir: string, file: string): Promise<Awaited<ReturnType<DatabaseManager['restore']>>> {
  const manager = await open(dir);
  try {
    return await manager.restore(file);
  } finally {
    await manager.close();
  }
}

/** What stores/ holds: a refused restore must leave nothing behind there. */
const storesListing = (dir: string): string[] => (fs.existsSync(path.join(dir, 'stores')) ? fs.readdirSync(path.join(dir, 'stores')).sort() : []);

let root: string;
beforeAll(() => {
  root = makeTempDir('restore');
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('one-file catalog backups and restore', () => {
  let dir: string;
  let out: string;
  let file: string;
  let atBackup: { files: number; segments: number };

  beforeAll(async () => {
    dir = path.join(root, 'tier1');
    out = path.join(root, 'tier1-backups');
    await fill(dir, 'First', 3_000);
    atBackup = await counts(dir);
    file = await backup(dir, path.join(out, 'catalog.db'));
  });

  it('leaves one file and no -wal, -shm or .partial beside it, user-only', () => {
    expect(fs.readdirSync(out)).toEqual(['catalog.db']);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('never overwrites an existing file', async () => {
    const before = fs.readFileSync(file);
    const error = await expectCode(backup(dir, file), 'conflict');
    expect(error.message).toContain('does not overwrite');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses control.db and the store files of the data folder as destinations', async () => {
    const error = await expectCode(backup(dir, path.join(dir, 'control.db')), 'invalid-argument');
    expect(error.message).toContain('control database');
    await expectCode(backup(dir, path.join(dir, 'strata.db')), 'invalid-argument');
    await expectCode(backup(dir, path.join(dir, 'stores', 'sqlite-x', 'strata.db')), 'invalid-argument');
    // Every engine's default place (from its definition), a journal, the server's cluster, the secrets.
    for (const place of ['strata.db-wal', 'sharded/shard-000.db', 'pglite/PG_VERSION', 'postgres/data/x', 'secrets/x', 'owner.json']) {
      await expectCode(backup(dir, path.join(dir, place)), 'invalid-argument');
    }
    // control.db still names the catalog (it was not replaced by a copy of it).
    expect(recoveryReport(dir).active).toMatchObject({ engine: 'sqlite', location: 'strata.db', presence: 'present' });
    // The data folder's backups folder is a fine place.
    expect(await backup(dir, path.join(dir, 'backups', 'ok.db'))).toBe(path.join(dir, 'backups', 'ok.db'));
  });

  it('refuses a backup with changed bytes, and leaves the active catalog and stores/ as they were', async () => {
    const damaged = path.join(out, 'damaged.db');
    const bytes = fs.readFileSync(file);
    // One byte in every page of the second half: whatever rows live there change.
    for (let at = Math.floor(bytes.length / 2); at < bytes.length; at += 4096) bytes[at + 2000] = (bytes[at + 2000] as number) ^ 0x5a;
    fs.writeFileSync(damaged, bytes);
    const before = await counts(dir);
    const listing = storesListing(dir);
    const error = await expectCode(restore(dir, damaged), 'db-corrupt');
    expect(error.message).toContain(damaged);
    expect(error.message).toContain('Nothing was restored');
    expect(await counts(dir)).toEqual(before);
    expect(storesListing(dir)).toEqual(listing);
  });

  it('restores into a new store, verified, and keeps the replaced store as the previous one', async () => {
    await fill(dir, 'Later', 1_000);
    expect((await counts(dir)).files).toBeGreaterThan(atBackup.files);
    const result = await restore(dir, file);
    expect(result.kind).toBe('sqlite');
    expect(result.recorded).toBe(true);
    expect(result.tables.find((t) => t.table === 'segments')?.rows).toBe(atBackup.segments);
    const now = await counts(dir);
    expect(now).toMatchObject({ files: atBackup.files, segments: atBackup.segments, engine: 'sqlite' });
    expect(now.location).toMatch(/^stores[/\\]sqlite-/u);
    const manager = await open(dir);
    try {
      expect((await manager.status()).previous?.location).toBe('strata.db');
      expect((await manager.read(null, (s) => s.checkIntegrity())).ok).toBe(true);
    } finally {
      await manager.close();
    }
  });
});

describe('sharded backups and restore', () => {
  let dir: string;
  let folder: string;
  let atBackup: { files: number; segments: number };

  beforeAll(async () => {
    dir = path.join(root, 'sharded');
    await fill(dir, 'Sharded', 3_000, 'sharded');
    atBackup = await counts(dir);
    folder = await backup(dir, path.join(root, 'sharded-backup'));
  });

  it('records counts and digests in its manifest, and leaves no side files', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, BACKUP_MANIFEST), 'utf8')) as { tables: Record<string, { rows: number }> };
    expect(manifest.tables.segments?.rows).toBe(atBackup.segments);
    expect(fs.readdirSync(folder).sort()).toEqual(['catalog.db', 'search.db', 'shard-000.db', 'shard-001.db', BACKUP_MANIFEST].sort());
    expect(fs.existsSync(`${folder}.partial`)).toBe(false);
  });

  it('refuses a backup with a shard file missing, or whose manifest does not match its rows', async () => {
    const broken = path.join(root, 'sharded-broken');
    fs.cpSync(folder, broken, { recursive: true });
    fs.rmSync(path.join(broken, 'shard-001.db'));
    const missing = await expectCode(restore(dir, broken), 'db-corrupt');
    expect(missing.message).toContain('shard-001.db');
    const lying = path.join(root, 'sharded-lying');
    fs.cpSync(folder, lying, { recursive: true });
    const manifestFile = path.join(lying, BACKUP_MANIFEST);
    const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { tables: Record<string, { rows: number }> };
    (manifest.tables.segments as { rows: number }).rows += 1_001;
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    const wrong = await expectCode(restore(dir, lying), 'db-corrupt');
    expect(wrong.message).toContain('segments: the backup recorded');
    expect(await counts(dir)).toMatchObject({ engine: 'sharded', location: 'sharded' });
  });

  it('restores a sharded store beside the active one', async () => {
    await fill(dir, 'After', 500);
    await restore(dir, folder);
    expect(await counts(dir)).toMatchObject({ files: atBackup.files, segments: atBackup.segments, engine: 'sharded' });
  });
});

describe('PostgreSQL backups and restore (PGlite)', () => {
  let dir: string;
  let file: string;
  let atBackup: { files: number; segments: number };
  const lines = (): string[] => zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  const variant = (name: string, content: string[] | Buffer): string => {
    const target = path.join(root, name);
    fs.writeFileSync(target, Buffer.isBuffer(content) ? content : zlib.gzipSync(content.join('\n')));
    return target;
  };

  beforeAll(async () => {
    dir = path.join(root, 'pg');
    await fill(dir, 'Pg', 2_000);
    await migrateDataFolder(dir, { to: 'pglite' });
    atBackup = await counts(dir);
    file = await backup(dir, path.join(root, 'pg-backup.jsonl.gz'));
  }, 300_000);

  it('refuses a truncated file with a message instead of a raw zlib error', async () => {
    const bytes = fs.readFileSync(file);
    const error = await expectCode(restore(dir, variant('cut.gz', bytes.subarray(0, Math.floor(bytes.length * 0.6)))), 'db-corrupt');
    expect(error.message).toContain('cut short');
    expect(error.message).not.toContain('Z_BUF_ERROR');
  }, 120_000);

  it('refuses a file missing 1,001 segment lines, one whose header counts are wrong, and one with changed bytes', async () => {
    const all = lines();
    let dropped = 0;
    const fewer = all.filter((line) => !(line.startsWith('["segments"') && dropped++ < 1_001));
    expect(dropped).toBeGreaterThan(1_001);
    const missing = await expectCode(restore(dir, variant('fewer.gz', fewer)), 'db-corrupt');
    expect(missing.message).toContain('segments: the header records');

    const header = JSON.parse(all[0] as string) as { rows: Record<string, number> };
    header.rows.files = (header.rows.files ?? 0) + 7;
    const lying = await expectCode(restore(dir, variant('header.gz', [JSON.stringify(header), ...all.slice(1)])), 'db-corrupt');
    expect(lying.message).toContain('files: the header records');

    const flipped = Buffer.from(fs.readFileSync(file));
    const at = Math.floor(flipped.length / 2);
    flipped[at] = (flipped[at] as number) ^ 0xff;
    const changed = await expectCode(restore(dir, variant('flipped.gz', flipped)), 'db-corrupt');
    expect(changed.message).toContain('damaged');
    expect(await counts(dir)).toMatchObject({ engine: 'pglite', files: atBackup.files });
  }, 300_000);

  it('restores into a new PGlite store, verified against the digests it recorded', async () => {
    const before = (await counts(dir)).location;
    const result = await restore(dir, file);
    expect(result).toMatchObject({ kind: 'postgres', recorded: true });
    const now = await counts(dir);
    expect(now).toMatchObject({ files: atBackup.files, segments: atBackup.segments, engine: 'pglite' });
    expect(now.location).not.toBe(before);
  }, 300_000);
});
