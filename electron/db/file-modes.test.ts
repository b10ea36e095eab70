/** Catalog files are the user's alone on POSIX, whatever the umask: real stores, real files. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCatalog } from '../../scripts/generate/catalog-generator';
import { makeTempDir } from './conformance/test-engines';
import { DatabaseManager } from './manager/database-manager';
import { prepareUserOnlyDatabase } from './file-modes';

const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

describe.runIf(process.platform !== 'win32')('file modes', () => {
  let root: string;
  let umask: number;
  beforeEach(() => {
    root = makeTempDir('file-modes');
    // A permissive umask, so a mode that is right is right because Strata set it.
    umask = process.umask(0o000);
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(root, { recursive: true, force: true });
  });

  for (const engine of ['sqlite', 'sharded'] as const) {
    it(`a new ${engine} data folder: files 0600, folders 0700`, async () => {
      const dir = path.join(root, 'data');
      const manager = await DatabaseManager.open(dir, { open: { engine, sharded: { shards: 2 } }, autoMoves: false, planEveryMs: 0 });
      try {
        const c = await manager.write('create', (s) => s.createCollection({ name: 'M', source: 'nzb' }));
        await manager.write('ingest', (s) => s.ingest(c.id, generateCatalog({ segments: 500, seed: 1 })));
        const files: string[] = [];
        const dirs: string[] = [dir];
        for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
          (entry.isDirectory() ? dirs : files).push(path.join(entry.parentPath, entry.name));
        }
        expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
        expect(files.length).toBeGreaterThan(2);
        for (const f of files) expect([f, modeOf(f).toString(8)]).toEqual([f, '600']);
        for (const d of dirs) expect([d, modeOf(d).toString(8)]).toEqual([d, '700']);
      } finally {
        await manager.close();
      }
    });
  }

  it('tightens a catalog an older version left 0644', async () => {
    const dir = path.join(root, 'old');
    const first = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    await first.close();
    fs.chmodSync(path.join(dir, 'strata.db'), 0o644);
    fs.chmodSync(path.join(dir, 'control.db'), 0o644);
    const again = await DatabaseManager.open(dir, { autoMoves: false, planEveryMs: 0 });
    await again.close();
    expect(modeOf(path.join(dir, 'strata.db'))).toBe(0o600);
    expect(modeOf(path.join(dir, 'control.db'))).toBe(0o600);
  });

  it('creates no file for a database that has none (":memory:" or "")', () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      prepareUserOnlyDatabase(':memory:');
      prepareUserOnlyDatabase('');
      expect(fs.readdirSync(root)).toEqual([]);
    } finally {
      process.chdir(cwd);
    }
  });
});
