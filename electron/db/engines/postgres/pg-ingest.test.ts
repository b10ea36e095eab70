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
import type { PgStore } from './pg-store';
import { TEST_PG_URL_ENV, ensureTestDatabase } from './testing/pg-test-database';

const targets: { name: string; open: (dir: string) => Promise<PgStore> }[] = [
  { name: 'pglite', open: (dir) => openPgliteStore(path.join(dir, 'db')) },
];
const serverUrl = process.env[TEST_PG_URL_ENV];
if (serverUrl) targets.push({ name: 'postgres', open: async (dir) => openPostgresStore(await ensureTestDatabase(serverUrl, dir)) });

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
  });
}
