/**
 * A data folder the user may only read, opened by the real `strata` command in a child
 * process. Tests run as root here, and root passes every permission bit, so the reading
 * process runs as the unprivileged account `strata-pg` (the one the portable server uses);
 * a non-root run reads as itself. The folders are chmod'ed 0555 and their files 0444, so the
 * reader can read everything and write nothing, exactly as on read-only media.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseManager } from '../manager/database-manager';
import { serverUser } from '../portable-server/server-user';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'strata.js');
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'fixtures', 'nzb');
const PLAIN = path.join(FIXTURES, 'nzbget', 'plain.nzb');
const SECOND = path.join(FIXTURES, 'nzbget', 'dotless.nzb');

interface Run {
  code: number | null;
  json: Record<string, unknown>;
  stderr: string;
}

const reader = serverUser();

function run(args: string[], asReader: boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args, '--json'], {
      env: { ...process.env, STRATA_DATA_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asReader && reader ? { uid: reader.uid, gid: reader.gid } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(last) as Record<string, unknown>;
      } catch {
        json = { unparsed: stdout };
      }
      resolve({ code, json, stderr });
    });
  });
}

const asReader = (...args: string[]): Promise<Run> => run(args, true);
const asOwner = (...args: string[]): Promise<Run> => run(args, false);

/** 0555 folders, 0444 files, all the way down: readable by anyone, writable by nobody but root. */
function makeReadOnly(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeReadOnly(full);
    else fs.chmodSync(full, 0o444);
  }
  fs.chmodSync(dir, 0o555);
}

function makeWritable(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(full);
    else fs.chmodSync(full, 0o644);
  }
}

/** Every name and size under a folder: what a read-only open must leave exactly as it was. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => {
    const full = path.join(e.parentPath, e.name);
    return `${path.relative(dir, full)}:${e.isFile() ? fs.statSync(full).size : 'dir'}`;
  }).sort();
}

const errorCode = (r: Run): unknown => (r.json.error as { code?: unknown } | undefined)?.code;
const errorMessage = (r: Run): string => {
  const message = (r.json.error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
};

let root: string;
let exportsDir: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-readonly-'));
  // The reader must reach the folders inside (mkdtemp makes 0700) and write its exports.
  fs.chmodSync(root, 0o755);
  exportsDir = path.join(root, 'exports');
  fs.mkdirSync(exportsDir);
  if (reader) fs.chownSync(exportsDir, reader.uid, reader.gid);
});

afterAll(() => {
  makeWritable(root);
  fs.rmSync(root, { recursive: true, force: true });
});

describe.each(['sqlite', 'sharded'] as const)('a read-only %s data folder', (engine) => {
  let data: string;
  let written: Record<string, unknown>;

  beforeAll(async () => {
    data = path.join(root, `data-${engine}`);
    const imported = await asOwner('import-nzb', PLAIN, '--collection', 'Shelf', '--engine', engine, '--data', data);
    expect(imported.code, imported.stderr).toBe(0);
    written = (await asOwner('stats', '--data', data)).json;
    expect(written.files).toBeGreaterThan(0);
    makeReadOnly(data);
  }, 120_000);

  it('reads, searches, lists, checks and exports without changing a byte of the folder', async () => {
    const before = listing(data);
    const stats = await asReader('stats', '--data', data);
    expect(stats.code, JSON.stringify(stats.json)).toBe(0);
    expect({ files: stats.json.files, segments: stats.json.segments, engine: stats.json.engine }).toEqual({ files: written.files, segments: written.segments, engine });
    // The status says read-only, and which path refused.
    expect((stats.json.read_only as { path?: unknown } | undefined)?.path).toBe(data);

    const collections = await asReader('collections', 'list', '--data', data);
    expect(collections.code).toBe(0);
    expect((collections.json.collections as { name: string }[]).map((c) => c.name)).toEqual(['Shelf']);

    const search = await asReader('search', 'plain', '--data', data);
    expect(search.code, JSON.stringify(search.json)).toBe(0);
    expect((search.json.hits as unknown[]).length).toBeGreaterThan(0);

    const check = await asReader('check', '--data', data);
    expect(check.json).toMatchObject({ ok: true, problems: [] });

    const target = path.join(exportsDir, `${engine}.nzb`);
    const exported = await asReader('export-nzb', '--collection', 'Shelf', '-o', target, '--data', data);
    expect(exported.code, JSON.stringify(exported.json)).toBe(0);
    expect(exported.json.segments).toBe(written.segments);
    expect(fs.readFileSync(target, 'utf8')).toContain('<segment');

    // No lock file, no -wal/-shm, no reserve, no probe file left: the folder is as it was.
    expect(listing(data)).toEqual(before);
  }, 180_000);

  it('refuses every change with read-only, saying what to do', async () => {
    const before = listing(data);
    const attempts = [
      ['import-nzb', SECOND, '--collection', 'Shelf'],
      ['collections', 'create', 'Other'],
      ['collections', 'delete', 'Shelf'],
      ['check', '--repair'],
      ['backup', path.join(data, 'backup.db')],
      ['migrate', '--to', engine === 'sqlite' ? 'sharded' : 'sqlite'],
      ['generate', '--segments', '100'],
    ];
    for (const args of attempts) {
      const refused = await asReader(...args, '--data', data);
      expect(refused.code, args.join(' ')).not.toBe(0);
      expect(errorCode(refused), `${args.join(' ')}: ${JSON.stringify(refused.json)}`).toBe('read-only');
      expect(errorMessage(refused)).toMatch(/read-only.*copy the data folder somewhere you may write/su);
    }
    expect(listing(data)).toEqual(before);
    const after = await asReader('stats', '--data', data);
    expect(after.json.files).toBe(written.files);
  }, 300_000);
});

describe('WAL files in a read-only folder', () => {
  it('reads commits still in the -wal through its -shm, and names what to do when the -shm is gone', async () => {
    const source = path.join(root, 'wal-source');
    const imported = await asOwner('import-nzb', PLAIN, '--collection', 'Shelf', '--data', source);
    expect(imported.code, imported.stderr).toBe(0);
    // A copy taken while a writer holds the catalog open: a commit sits in strata.db-wal only.
    const copy = path.join(root, 'wal-copy');
    const db = new Database(path.join(source, 'strata.db'));
    try {
      db.pragma('wal_autocheckpoint = 0');
      db.prepare("UPDATE collections SET name = 'Renamed in the WAL'").run();
      fs.mkdirSync(copy);
      for (const name of ['control.db', 'strata.db', 'strata.db-wal', 'strata.db-shm']) fs.copyFileSync(path.join(source, name), path.join(copy, name));
    } finally {
      db.close();
    }
    expect(fs.statSync(path.join(copy, 'strata.db-wal')).size).toBeGreaterThan(0);
    makeReadOnly(copy);
    const listed = await asReader('collections', 'list', '--data', copy);
    expect(listed.code, JSON.stringify(listed.json)).toBe(0);
    expect((listed.json.collections as { name: string }[]).map((c) => c.name)).toEqual(['Renamed in the WAL']);

    makeWritable(copy);
    fs.rmSync(path.join(copy, 'strata.db-shm'));
    makeReadOnly(copy);
    const noShm = await asReader('stats', '--data', copy);
    expect(errorCode(noShm), JSON.stringify(noShm.json)).toBe('read-only');
    expect(errorMessage(noShm)).toMatch(/strata\.db-wal holds changes not yet folded in/u);
  }, 180_000);
});

describe('a read-only PGlite data folder', () => {
  it('is refused with read-only before PGlite starts, not with a crash', async () => {
    const data = path.join(root, 'data-pglite');
    const manager = await DatabaseManager.open(data, { open: { engine: 'pglite' }, autoMoves: false, planEveryMs: 0 });
    await manager.close();
    makeReadOnly(data);
    const stats = await asReader('stats', '--data', data);
    expect(stats.code).not.toBe(0);
    expect(errorCode(stats), JSON.stringify(stats.json)).toBe('read-only');
    expect(errorMessage(stats)).toMatch(/PGlite.*must write its data directory even to read/su);
  }, 180_000);
});
