/**
 * Bad files and faults at open: each is refused with an error naming the file, and the file is
 * left byte-for-byte as it was.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StrataError } from '../../../../shared/errors';
import { makeTempDir } from '../../conformance/test-engines';
import { segmentsOf } from '../../conformance/fixtures';
import { LATEST_SCHEMA_VERSION } from './schema';
import { SqliteStore } from './sqlite-store';

const digest = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function openError(file: string, busyTimeoutMs = 5000): Promise<StrataError> {
  try {
    const store = await SqliteStore.open(file, { tuning: { busyTimeoutMs } });
    await store.close();
  } catch (error) {
    expect(error).toBeInstanceOf(StrataError);
    return error as StrataError;
  }
  throw new Error('expected the open to fail');
}

async function makeCatalog(file: string, files = 50): Promise<void> {
  const store = await SqliteStore.open(file);
  const c = await store.createCollection({ name: 'C', source: 'nzb' });
  await store.ingest(c.id, [
    { files: Array.from({ length: files }, (_, i) => ({ path: `d${i % 5}/f${i}.bin`, size: 100, segments: segmentsOf(20, 5, `m${i}`) })) },
  ]);
  await store.close();
}

describe('opening catalog files', () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTempDir('open');
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a new catalog with the chosen pragmas and schema', async () => {
    const file = path.join(dir, 'strata.db');
    const store = await SqliteStore.open(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
      expect(db.pragma('application_id', { simple: true })).toBe(0x53545241);
      const segments = db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'segments'").pluck().get() as string;
      expect(segments).toMatch(/WITHOUT ROWID/u);
      expect(segments).toMatch(/PRIMARY KEY \(file_id, number\)/u);
      expect(db.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('treats an empty file as a new catalog', async () => {
    const file = path.join(dir, 'strata.db');
    fs.writeFileSync(file, '');
    const store = await SqliteStore.open(file);
    expect(await store.listCollections()).toEqual([]);
    await store.close();
  });

  it('refuses a file that is not SQLite, untouched', async () => {
    const file = path.join(dir, 'strata.db');
    fs.writeFileSync(file, '<html><body>not a database</body></html>'.repeat(100));
    const before = digest(file);
    const error = await openError(file);
    expect(error.code).toBe('db-not-sqlite');
    expect(error.message).toContain(file);
    expect(digest(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it("refuses another program's SQLite database, untouched", async () => {
    const file = path.join(dir, 'strata.db');
    const other = new Database(file);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me')");
    other.close();
    const before = digest(file);
    const error = await openError(file);
    expect(error.code).toBe('db-foreign');
    expect(error.message).toContain(file);
    expect(digest(file)).toBe(before);
  });

  it('refuses a catalog written by a newer Strata, untouched', async () => {
    const file = path.join(dir, 'strata.db');
    await makeCatalog(file, 2);
    const db = new Database(file);
    db.prepare("INSERT INTO schema_version (version, applied_at, description) VALUES (?, 0, 'from the future')").run(LATEST_SCHEMA_VERSION + 1);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const before = digest(file);
    const error = await openError(file);
    expect(error.code).toBe('db-newer');
    expect(error.message).toMatch(/newer version of Strata/u);
    expect(error.details).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION + 1 });
    expect(digest(file)).toBe(before);
  });

  it('refuses a catalog whose schema pages are damaged, untouched', async () => {
    const file = path.join(dir, 'strata.db');
    await makeCatalog(file, 2);
    const bytes = fs.readFileSync(file);
    // Page 1 holds sqlite_schema after the 100-byte header; scrambling it breaks every lookup.
    for (let i = 100; i < 4096; i++) bytes[i] = (i * 31) & 0xff;
    fs.writeFileSync(file, bytes);
    const before = digest(file);
    const error = await openError(file);
    expect(error.code).toBe('db-corrupt');
    expect(error.message).toContain(file);
    expect(digest(file)).toBe(before);
  });

  it('finds damage in data pages with an integrity check and names it', async () => {
    const file = path.join(dir, 'strata.db');
    await makeCatalog(file, 200);
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    // Scramble pages in the back half of the file (segment and index pages), not the schema.
    for (let p = Math.floor(pages / 2); p < pages - 1; p += 3) {
      for (let i = 8; i < pageSize; i++) bytes[p * pageSize + i] = (i * 7 + p) & 0xff;
    }
    fs.writeFileSync(file, bytes);
    let report;
    try {
      const store = await SqliteStore.open(file);
      try {
        report = await store.checkIntegrity();
      } finally {
        await store.close();
      }
    } catch (error) {
      // Damage the open itself trips over is reported the same way.
      expect((error as StrataError).code).toBe('db-corrupt');
      return;
    }
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
  });

  describe('locked by another process', () => {
    let holder: ChildProcess | undefined;
    afterEach(() => {
      holder?.kill('SIGKILL');
      holder = undefined;
    });

    /** Starts a process that takes the lock and reports when it holds it. */
    async function holdLock(file: string, script: string): Promise<void> {
      holder = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
      await new Promise<void>((resolve, reject) => {
        holder!.stdout!.on('data', (d: Buffer) => {
          if (d.toString().includes('locked')) resolve();
        });
        holder!.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
      });
    }

    it('refuses to open a catalog another program holds exclusively, and names the file', async () => {
      const file = path.join(dir, 'strata.db');
      await makeCatalog(file, 2);
      await holdLock(
        file,
        `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
         db.pragma('locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE');
         console.log('locked'); setInterval(() => {}, 1000);`,
      );
      const error = await openError(file, 200);
      expect(error.code).toBe('db-locked');
      expect(error.message).toContain(file);
    });

    it('keeps reading while another writer holds the write lock, and refuses writes clearly', async () => {
      const file = path.join(dir, 'strata.db');
      await makeCatalog(file, 2);
      const store = await SqliteStore.open(file, { tuning: { busyTimeoutMs: 200 } });
      try {
        await holdLock(
          file,
          `const D = require('better-sqlite3'); const db = new D(process.argv[1]);
           db.exec('BEGIN IMMEDIATE'); console.log('locked'); setInterval(() => {}, 1000);`,
        );
        expect((await store.listCollections()).map((c) => c.name)).toEqual(['C']);
        const error = await store.createCollection({ name: 'D', source: 'nzb' }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StrataError);
        expect((error as StrataError).code).toBe('db-locked');
      } finally {
        holder?.kill('SIGKILL');
        await store.close();
      }
    });
  });
});
