/**
 * Ingest details specific to the Postgres dialect, on PGlite and (with STRATA_TEST_PG_URL) a
 * real server: text Postgres cannot store is refused with a typed error, the batch rolls
 * back, and the store keeps working; awkward text survives the COPY path intact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { expectCode } from '../../conformance/expect-code';
import { openPgliteStore, openPostgresStore } from './open-pg-store';
import { NodePgDriver } from './node-pg-driver';
import type { PgDriver } from './pg-driver';
import type { PgStore } from './pg-store';
import { PgliteDriver } from './pglite-driver';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const targets: { name: string; open: (dir: string) => Promise<PgStore>; driver: (dir: string) => Promise<PgDriver> }[] = [
  { name: 'pglite', open: (dir) => openPgliteStore(path.join(dir, 'db')), driver: (dir) => PgliteDriver.open(path.join(dir, 'db')) },
];
const serverUrl = process.env[TEST_PG_URL_ENV];
if (serverUrl) {
  targets.push({
    name: 'postgres',
    open: async (dir) => openPostgresStore(await ensureTestDatabase(serverUrl, dir)),
    driver: async (dir) => NodePgDriver.open({ connectionString: await ensureTestDatabase(serverUrl, dir) }),
  });
}

for (const target of targets) {
  describe(`postgres ingest: ${target.name}`, () => {
    let dir: string;
    let store: PgStore;

    beforeEach(async () => {
      dir = makeTempDir(`pg-ingest-${target.name}`);
      store = await target.open(dir);
    });

    afterEach(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses NUL in a message-id or subject, rolls the batch back, and keeps working', async () => {
      const c = await store.createCollection({ name: 'C', source: 'nzb' });
      const segments = Array.from({ length: 5_000 }, (_, i) => ({ number: i + 1, bytes: 10, messageId: i === 4_000 ? 'bad\u0000id@x' : `m${i}@x` }));
      await expectCode(store.ingest(c.id, [{ files: [{ path: 'a/one.bin', size: 1, segments }] }]), 'invalid-argument');
      await expectCode(
        store.ingest(c.id, [{ files: [{ path: 'a/two.bin', size: 1, subject: 'x\u0000y', segments: [{ number: 1, bytes: 1 }] }] }]),
        'invalid-argument',
      );
      expect(await store.getCollection(c.id)).toMatchObject({ fileCount: 0, segmentCount: 0, folderCount: 0 });
      await store.ingest(c.id, [{ files: [{ path: 'a/one.bin', size: 1, segments: segments.slice(0, 10).map((s) => ({ ...s, messageId: `ok${s.number}@x` })) }] }]);
      expect(await store.getCollection(c.id)).toMatchObject({ fileCount: 1, segmentCount: 10, folderCount: 1 });
      expect((await store.checkIntegrity()).problems).toEqual([]);
    });

    it('keeps tabs, newlines, backslashes and unicode in names, subjects and message-ids', async () => {
      const c = await store.createCollection({ name: 'C', source: 'nzb' });
      const name = 'tab\there new\nline back\\slash \\N 日本語 🎬.mkv';
      const subject = 'subject with \\ and \t and "quotes" and \'single\'';
      await store.ingest(c.id, [
        {
          files: [
            {
              path: `Földer\\x/${name}`,
              size: 7,
              subject,
              metadata: { note: 'a\tb\\c', nested: { list: [1, 'two'] } },
              segments: [{ number: 1, bytes: 7, messageId: 'id\\with\ttab@x', hash: '00ff' }],
            },
          ],
        },
      ]);
      const [file] = await store.findFilesByName(c.id, name);
      expect(file).toMatchObject({ name, relPath: `Földer\\x/${name}`, subject });
      const detail = await store.getFile(file!.id);
      expect(detail.metadata).toEqual({ note: 'a\tb\\c', nested: { list: [1, 'two'] } });
      expect(await store.getSegments({ fileId: file!.id })).toMatchObject([{ messageId: 'id\\with\ttab@x', hash: '00ff' }]);
      expect((await store.search({ query: '日本語' })).hits.map((h) => h.file.id)).toEqual([file!.id]);
      expect((await store.search({ query: 'földer' })).hits.map((h) => h.file.id)).toEqual([file!.id]);
    });

    it('refreshes planner statistics after a large import', async () => {
      const c = await store.createCollection({ name: 'C', source: 'nzb' });
      const files = Array.from({ length: 2_500 }, (_, i) => ({ path: `Big/file ${i}.bin`, size: 1, segments: [{ number: 1, bytes: 1 }] }));
      await store.ingest(c.id, [{ files: files.slice(0, 1_500) }, { files: files.slice(1_500) }]);
      expect((await store.search({ query: '2499' })).hits.map((h) => h.file.name)).toEqual(['file 2499.bin']);
      await store.close();
      const driver = await target.driver(dir);
      try {
        const { rows } = await driver.query<{ n: number }>("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'files'");
        expect(rows[0]?.n).toBe(2_500);
      } finally {
        await driver.close();
      }
      store = await target.open(dir);
    });
  });
}
