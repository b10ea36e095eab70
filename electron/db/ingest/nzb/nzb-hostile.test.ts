/**
 * Hostile input: documents built to exhaust a parser (entity expansion, deep nesting, one
 * endless line), to read files they should not (external entities), or that are simply not
 * NZBs (truncated, random bytes, broken gzip, nothing at all). Each must end in a clear
 * StrataError in bounded time and memory, and an import of it must leave the store as it was.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import { importNzbFile } from './nzb-import';
import { readNzb } from './nzb-parser';
import type { CatalogStore } from '../../store';
import { expectCode } from '../../conformance/expect-code';
import { chunks, storeCounts } from './nzb-testing';

// Tests run with cwd /work/main; the fixtures are shared with other checkouts, one level up.
const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/nzb');
const VALID = fs.readFileSync(path.join(FIXTURES, 'ravencentric/valid_nzb_with_one_missing_segment.nzb'));
const VALID_GZ = fs.readFileSync(path.join(FIXTURES, 'ravencentric/valid_nzb_with_bad_segments.nzb.gz'));

/** Generous: every case here fails within milliseconds; this only catches a runaway. */
const TIME_LIMIT_MS = 2_000;
const DEFAULT_MAX_RUN = 1 << 20;



/** The bytes in 64 KiB pieces, as a file stream delivers them by default. */
const pieces = (bytes: Buffer, size = 64 * 1024): Buffer[] => {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
};

const NZB_OPEN = '<?xml version="1.0" encoding="UTF-8"?>\n';
const FILE_OPEN = '<file poster="p" date="1" subject="&quot;x.bin&quot; yEnc (1/1)"><groups><group>alt.binaries.test</group></groups><segments>';
const FILE_CLOSE = '</segments></file>';

/** Ten levels of ten references: "&lol9;" would expand to 10^9 "lol"s, 3 GB of text. */
function billionLaughs(): Buffer {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return Buffer.from(
    `${NZB_OPEN}<!DOCTYPE nzb [\n${entities.join('\n')}\n]>\n<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">${FILE_OPEN}` +
      `<segment bytes="1" number="1">&lol9;</segment>${FILE_CLOSE}</nzb>`,
  );
}

function externalEntity(): Buffer {
  return Buffer.from(
    `${NZB_OPEN}<!DOCTYPE nzb [\n<!ENTITY passwd SYSTEM "file:///etc/passwd">\n]>\n<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">${FILE_OPEN}` +
      `<segment bytes="1" number="1">&passwd;</segment>${FILE_CLOSE}</nzb>`,
  );
}

function deeplyNested(depth: number): Buffer {
  return Buffer.from(`${NZB_OPEN}<nzb>${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}</nzb>`);
}

/** A message-id of `length` characters, as a file (the parser tests stream a far longer one). */
function longLine(length: number): Buffer {
  return Buffer.concat([
    Buffer.from(`${NZB_OPEN}<nzb>${FILE_OPEN}<segment bytes="1" number="1">`),
    Buffer.alloc(length, 'A'),
    Buffer.from(`</segment>${FILE_CLOSE}</nzb>`),
  ]);
}

/** Random bytes, except the first: pinned so a chance gzip magic or byte-order mark (about one
 * run in 65,536) cannot send the reader down another, equally failing, path. */
function garbage(): Buffer {
  const bytes = randomBytes(64 * 1024);
  bytes[0] = 0x00;
  return bytes;
}

/** A gzip header, then deflate data that is all ones: the first block has no valid type. */
function corruptGzip(): Buffer {
  const gz = gzipSync(VALID);
  gz.fill(0xff, 10, gz.length - 8);
  return gz;
}

interface HostileCase {
  file: string;
  bytes: () => Buffer;
  /** The whole message, or its shape where it quotes the XML parser's own words. */
  message: string | RegExp;
}

const CASES: HostileCase[] = [
  {
    file: 'billion-laughs.nzb',
    bytes: billionLaughs,
    // Entities from a DOCTYPE are never defined, so the first reference is an error.
    message: /^billion-laughs\.nzb is not a well-formed NZB \(line 14, column \d+: .*undefined entity\.?\)\.$/u,
  },
  {
    file: 'external-entity.nzb',
    bytes: externalEntity,
    message: /^external-entity\.nzb is not a well-formed NZB \(line 5, column \d+: .*undefined entity\.?\)\.$/u,
  },
  { file: 'nested.nzb', bytes: () => deeplyNested(10_000), message: 'nested.nzb nests elements more than 32 deep; it is not an NZB.' },
  {
    file: 'long-line.nzb',
    bytes: () => longLine(3 * 1024 * 1024),
    message: `long-line.nzb has a single text or tag longer than ${DEFAULT_MAX_RUN} characters; it is not a usable NZB.`,
  },
  {
    file: 'truncated.nzb',
    bytes: () => VALID.subarray(0, Math.floor(VALID.length / 2)),
    message: /^truncated\.nzb is not a well-formed NZB \(line 46, column \d+: .*unclosed tag: group\.?\)\.$/u,
  },
  {
    file: 'truncated.nzb.gz',
    bytes: () => VALID_GZ.subarray(0, Math.floor(VALID_GZ.length / 2)),
    message: 'truncated.nzb.gz is a damaged gzip file (unexpected end of file); download it again.',
  },
  { file: 'garbage.nzb', bytes: garbage, message: /^garbage\.nzb is not a well-formed NZB \(line 1, column 1: .*disallowed character\.?\)\.$/u },
  { file: 'corrupt.nzb.gz', bytes: corruptGzip, message: 'corrupt.nzb.gz is a damaged gzip file (invalid block type); download it again.' },
  { file: 'empty.nzb', bytes: () => Buffer.alloc(0), message: 'empty.nzb is empty; it is not an NZB file.' },
];

const expectMessage = (actual: string | undefined, expected: string | RegExp): void => {
  if (typeof expected === 'string') expect(actual).toBe(expected);
  else expect(actual).toMatch(expected);
};


async function nzbSourceRows(store: CatalogStore): Promise<number> {
  // Every row, pending imports included (getNzbSource only finds complete ones).
  let rows = 0;
  for await (const batch of store.streamTable('nzb_sources')) rows += batch.rows.length;
  return rows;
}

describe('hostile NZB input', () => {
  describe('parser', () => {
    for (const hostile of CASES) {
      it(`refuses ${hostile.file} quickly`, async () => {
        const started = performance.now();
        const error = await expectCode(readNzb(chunks(...pieces(hostile.bytes())), { name: hostile.file }), 'nzb-invalid');
        expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
        expectMessage(error.message, hostile.message);
        expect(error.details?.file).toBe(hostile.file);
      });
    }

    it('never reads the external entity: nothing of /etc/passwd is in the error', async () => {
      const error = await expectCode(readNzb(chunks(externalEntity()), { name: 'external-entity.nzb' }), 'nzb-invalid');
      expect(error.message).not.toContain('root:');
      expect(JSON.stringify(error.details)).not.toContain('root:');
    });

    it('stops a 2 GB single line inside a <segment> long before it ends, and closes the source', async () => {
      const CHUNK = 64 * 1024;
      const TOTAL = 2 * 1024 ** 3;
      const block = Buffer.alloc(CHUNK, 'A');
      let yielded = 0;
      let closed = false;
      async function* endlessLine(): AsyncGenerator<Buffer> {
        try {
          yield Buffer.from(`${NZB_OPEN}<nzb>${FILE_OPEN}<segment bytes="1" number="1">`);
          for (let sent = 0; sent < TOTAL; sent += CHUNK) {
            yielded++;
            yield block;
          }
          yield Buffer.from(`</segment>${FILE_CLOSE}</nzb>`);
        } finally {
          closed = true;
        }
      }
      const started = performance.now();
      const error = await expectCode(readNzb(endlessLine(), { name: 'endless.nzb' }), 'nzb-invalid');
      expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
      expect(error.message).toBe(`endless.nzb has a single text or tag longer than ${DEFAULT_MAX_RUN} characters; it is not a usable NZB.`);
      // Bounded memory: at most about the limit was ever asked for, never the 2 GB.
      expect(yielded * CHUNK).toBeGreaterThanOrEqual(DEFAULT_MAX_RUN);
      expect(yielded * CHUNK).toBeLessThan(4 * 1024 * 1024);
      // The reader ended the source rather than abandoning it mid-stream.
      expect(closed).toBe(true);
    });

    it('applies a smaller maxRunChars, to attribute values as to text', async () => {
      let yielded = 0;
      async function* endlessSubject(): AsyncGenerator<Buffer> {
        yield Buffer.from(`${NZB_OPEN}<nzb><file subject="`);
        for (let i = 0; i < 32_768; i++) {
          yielded++;
          yield Buffer.alloc(1024, 'B');
        }
      }
      const error = await expectCode(readNzb(endlessSubject(), { name: 'subject.nzb', maxRunChars: 10_000 }), 'nzb-invalid');
      expect(error.message).toBe('subject.nzb has a single text or tag longer than 10000 characters; it is not a usable NZB.');
      expect(yielded).toBeLessThan(16);
    });

    it('applies a smaller maxDepth', async () => {
      const error = await expectCode(readNzb(chunks(deeplyNested(5)), { name: 'five.nzb', maxDepth: 4 }), 'nzb-invalid');
      expect(error.message).toBe('five.nzb nests elements more than 4 deep; it is not an NZB.');
      // ...and one level fewer than the limit is fine for the nesting check (the document then
      // fails only for having no files).
      const shallow = await expectCode(readNzb(chunks(deeplyNested(3)), { name: 'three.nzb', maxDepth: 4 }), 'nzb-invalid');
      expect(shallow.message).toBe('three.nzb contains no files with segments; there is nothing to import.');
    });

    it('treats a source that yields only empty chunks as an empty file', async () => {
      const error = await expectCode(readNzb(chunks(Buffer.alloc(0), Buffer.alloc(0)), { name: 'hollow.nzb' }), 'nzb-invalid');
      expect(error.message).toBe('hollow.nzb is empty; it is not an NZB file.');
    });
  });

  describe('import', () => {
    let dir: string;
    let store: CatalogStore;
    let collectionId: number;

    beforeEach(async () => {
      dir = makeTempDir('nzb-hostile');
      store = await SqliteStore.open(path.join(dir, 'strata.db'));
      collectionId = (await store.createCollection({ name: 'Hostile', source: 'nzb' })).id;
    });

    afterEach(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const write = (file: string, bytes: Buffer): string => {
      const p = path.join(dir, file);
      fs.writeFileSync(p, bytes);
      return p;
    };

    for (const hostile of CASES) {
      for (const inline of [true, false]) {
        it(`fails ${hostile.file} ${inline ? 'inline' : 'in a worker'} and imports nothing`, async () => {
          const p = write(hostile.file, hostile.bytes());
          const before = storeCounts(await store.stats());
          const started = performance.now();
          // One segment per batch: whatever the reader got through before failing was written,
          // so the all-or-nothing removal is exercised, not just a failure before any write.
          const result = await importNzbFile(store, collectionId, p, { inline, batchSegments: 1 });
          // A worker thread's start-up is part of the bound.
          expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS * 5);
          expect(result.status).toBe('failed');
          expect(result.error?.code).toBe('nzb-invalid');
          expectMessage(result.error?.message, hostile.message);
          expect([result.files, result.segments, result.bytes, result.folder, result.sourceId]).toEqual([0, 0, 0, null, null]);
          expect(storeCounts(await store.stats())).toEqual(before);
          expect((await store.stats()).files).toBe(0);
          expect((await store.listFiles({ collectionId, limit: 1000 })).items).toEqual([]);
          expect(await nzbSourceRows(store)).toBe(0);
          expect(await store.checkIntegrity()).toMatchObject({ ok: true, problems: [] });
        });
      }
    }

    it('takes back the files a truncated NZB wrote before it failed, next to an intact import', async () => {
      const good = await importNzbFile(store, collectionId, path.join(FIXTURES, 'ravencentric/valid_nzb_with_bad_segments.nzb'), { inline: true });
      expect(good.status).toBe('imported');
      const before = storeCounts(await store.stats());
      const beforeFiles = (await store.listFiles({ collectionId, limit: 1000 })).items;
      const progress: number[] = [];
      const result = await importNzbFile(
        store,
        collectionId,
        write('truncated.nzb', VALID.subarray(0, Math.floor(VALID.length / 2))),
        { inline: true, batchSegments: 1 },
        (delta) => progress.push(delta.files),
      );
      expect(result.status).toBe('failed');
      expect(result.error?.code).toBe('nzb-invalid');
      // Four whole files came before the cut and were written; the last report takes them back.
      expect(progress).toEqual([1, 1, 1, 1, -4]);
      expect(storeCounts(await store.stats())).toEqual(before);
      expect((await store.listFiles({ collectionId, limit: 1000 })).items).toEqual(beforeFiles);
      expect(await nzbSourceRows(store)).toBe(1);
      expect(await store.checkIntegrity()).toMatchObject({ ok: true, problems: [] });
    });
  });
});
