/**
 * Real NZB files written by other projects (/work/shared/fixtures/nzb, see SOURCES.md there)
 * through the parser and the importer. Expected values were read off the documents by hand
 * and pinned exactly; nzbget's own expected parse (its .txt files) is read, never copied, so
 * those four fixtures are held to what nzbget itself expects.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import { describeNzbFileName, importNzbFile } from './nzb-import';
import { readNzb } from './nzb-parser';
import { fileNameFromSubject } from './subject-name';
import type { ErrorCode } from '../../../../shared/errors';
import type { CatalogStore } from '../../store';
import type { NzbImportResult, NzbImportWarnings } from './nzb-import';
import type { NzbFile, NzbHead, NzbParseSummary } from './nzb-types';
import { expectCode } from '../../conformance/expect-code';
import { chunks, storeCounts } from './nzb-testing';

// Tests run with cwd /work/main; the fixtures are shared with other checkouts, one level up.
const FIXTURES = path.resolve(process.cwd(), '../shared/fixtures/nzb');
const fixturePath = (rel: string): string => path.join(FIXTURES, rel);


type Parsed = { head: NzbHead; files: NzbFile[]; summary: NzbParseSummary };

const readFixture = (rel: string): Promise<Parsed> => readNzb(fs.createReadStream(fixturePath(rel)), { name: path.basename(rel) });


const names = (files: NzbFile[]): (string | null)[] => files.map((f) => fileNameFromSubject(f.subject));

/** nzbget's expected parse: "# comment" lines, the file count, the names, then a password. */
interface NzbgetExpectation {
  count: number;
  names: string[];
  passwords: string[];
}

function readNzbgetExpectation(base: string): NzbgetExpectation {
  const lines = fs
    .readFileSync(fixturePath(`nzbget/${base}.txt`), 'utf8')
    .split(/\r?\n/u)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const count = Number(lines[0]);
  if (!Number.isInteger(count)) throw new Error(`nzbget/${base}.txt does not start with a file count`);
  const rest = lines.slice(1);
  // Whatever follows the names is the password (only two of the four have one).
  return { count, names: rest.slice(0, count), passwords: rest.slice(count) };
}

const NZBGET = ['dotless', 'passwdMeta', 'passwd{{thisisthepassword}}', 'plain'] as const;
const nzbget = Object.fromEntries(NZBGET.map((b) => [b, readNzbgetExpectation(b)])) as Record<(typeof NZBGET)[number], NzbgetExpectation>;

const summaryOf = (partial: Partial<NzbParseSummary> & Pick<NzbParseSummary, 'files' | 'segments' | 'bytes'>): NzbParseSummary => ({
  emptyFiles: 0,
  invalidSegments: 0,
  duplicateSegments: 0,
  missingSegments: 0,
  emptyGroups: 0,
  invalidMessageIds: 0,
  invalidGroups: 0,
  ...partial,
});

interface Accepted {
  meta: Record<string, string[]>;
  /** fileNameFromSubject of every file the parser yields, in document order. */
  names: string[];
  /** Segments kept per yielded file. */
  segments: number[];
  summary: NzbParseSummary;
  /** What a lone import of the fixture stores (the parse less files listed twice). */
  stored: { files: number; segments: number; bytes: number; duplicateFiles: number };
  passwords: string[];
}

interface Refused {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
}

type Expectation = Accepted | Refused;

const isRefused = (e: Expectation): e is Refused => 'error' in e;

const ubuntu = (base: (typeof NZBGET)[number], meta: Record<string, string[]>, passwords: string[]): Accepted => ({
  meta,
  names: nzbget[base].names,
  segments: [1, 1, 1],
  summary: summaryOf({ files: 3, segments: 3, bytes: 830 + 28209 + 925855 }),
  stored: { files: 3, segments: 3, bytes: 954894, duplicateFiles: 0 },
  passwords,
});

/** The one-file posting most ravencentric fixtures share: two segments, 102394 + 4501 bytes. */
const abc = (meta: Record<string, string[]>, passwords: string[], extra: Partial<NzbParseSummary> = {}): Accepted => ({
  meta,
  names: ['abc-mr2a.r01'],
  segments: [2],
  summary: summaryOf({ files: 1, segments: 2, bytes: 106895, ...extra }),
  stored: { files: 1, segments: 2, bytes: 106895, duplicateFiles: 0 },
  passwords,
});

const REPEATED_META = { title: ['Your File!'], password: ['secret', 'secret'], tag: ['HD', 'WEB-DL'], category: ['TV'] };
const ONE_OF_EACH_META = { title: ['Your File!'], password: ['secret'], tag: ['HD'], category: ['TV'] };

const BUNNY = [
  'Big Buck Bunny - S01E01.mkv.par2',
  'Big Buck Bunny - S01E01.mkv.vol00+01.par2',
  'Big Buck Bunny - S01E01.mkv.vol01+02.par2',
  'Big Buck Bunny - S01E01.mkv.vol03+04.par2',
  'Big Buck Bunny - S01E01.mkv',
];

const badSegments: Accepted = {
  meta: {},
  names: BUNNY,
  // The main file lists 24 numbers; 11 (no bytes), 12 (no number) and 13 (no message-id) are dropped.
  segments: [1, 2, 3, 5, 21],
  summary: summaryOf({ files: 5, segments: 32, bytes: 20485917, invalidSegments: 3, missingSegments: 3 }),
  stored: { files: 5, segments: 32, bytes: 20485917, duplicateFiles: 0 },
  passwords: [],
};

/** Every fixture, in the order the one-store import below takes them (path order). */
const EXPECTED: [string, Expectation][] = [
  ['nzbget/dotless.nzb', {
    meta: { category: ['Movies'] },
    names: nzbget.dotless.names,
    segments: [1, 1],
    summary: summaryOf({ files: 2, segments: 2, bytes: 1536000 }),
    stored: { files: 2, segments: 2, bytes: 1536000, duplicateFiles: 0 },
    passwords: nzbget.dotless.passwords,
  }],
  ['nzbget/passwdMeta.nzb', ubuntu('passwdMeta', { password: nzbget.passwdMeta.passwords }, nzbget.passwdMeta.passwords)],
  // No meta at all: the password is in the file name.
  ['nzbget/passwd{{thisisthepassword}}.nzb', ubuntu('passwd{{thisisthepassword}}', {}, nzbget['passwd{{thisisthepassword}}'].passwords)],
  // "TV &gt; 4K" in the document.
  ['nzbget/plain.nzb', ubuntu('plain', { category: ['TV > 4K'] }, nzbget.plain.passwords)],
  // Declared iso-8859-1; the subject is one obfuscated token with no extension.
  ['ravencentric/bad_subject.nzb', {
    meta: {},
    names: ['WQDMm92SQnbDguxHUwXugqbku5Z22JSs'],
    segments: [2],
    summary: summaryOf({ files: 1, segments: 2, bytes: 106895 }),
    stored: { files: 1, segments: 2, bytes: 106895, duplicateFiles: 0 },
    passwords: [],
  }],
  // Plain XML despite its name: the reader sniffs the content for gzip's magic bytes, never
  // trusting the extension, so this reads as the uncompressed document it is.
  ['ravencentric/invalid_gzipped_nzb.nzb.gz', abc(ONE_OF_EACH_META, ['secret'])],
  ['ravencentric/malformed_files.nzb', {
    error: {
      code: 'nzb-invalid',
      message: 'malformed_files.nzb contains no files with segments; there is nothing to import.',
      details: { file: 'malformed_files.nzb', emptyFiles: 0 },
    },
  }],
  // Its first <file> has neither groups nor segments. Repeated meta is kept as repeated.
  ['ravencentric/malformed_files2.nzb', abc(REPEATED_META, ['secret'], { emptyFiles: 1 })],
  // An empty <group>, then the same file (name and first article) listed twice.
  ['ravencentric/malformed_groups.nzb', {
    meta: REPEATED_META,
    names: ['abc-mr2a.r01', 'abc-mr2a.r01'],
    segments: [2, 2],
    summary: summaryOf({ files: 2, segments: 4, bytes: 213790, emptyGroups: 1 }),
    stored: { files: 1, segments: 2, bytes: 106895, duplicateFiles: 1 },
    passwords: ['secret'],
  }],
  ['ravencentric/malformed_segments.nzb', abc(REPEATED_META, ['secret'], { emptyFiles: 1 })],
  ['ravencentric/no_meta.nzb', abc({}, [])],
  ['ravencentric/non_standard_meta.nzb', abc({ name: ['Your File!'], badmeta1: ['secret'], badmeta2: ['HD'], badmeta3: ['TV'] }, [])],
  ['ravencentric/nzb_with_no_head.nzb', abc({}, [])],
  // Two names over the same two articles: both are kept (different names are not a duplicate).
  ['ravencentric/one_rar_file.nzb', {
    meta: ONE_OF_EACH_META,
    names: ['abc-mr2a.r01', 'Big Buck Bunny - S01E01.mkv'],
    segments: [2, 2],
    summary: summaryOf({ files: 2, segments: 4, bytes: 213790 }),
    stored: { files: 2, segments: 4, bytes: 213790, duplicateFiles: 0 },
    passwords: ['secret'],
  }],
  ['ravencentric/single_meta.nzb', abc({ title: ['title'] }, [])],
  ['ravencentric/valid_nzb_with_bad_segments.nzb', badSegments],
  // Really gzip (of the same document with CRLF line ends): reads to the same result.
  ['ravencentric/valid_nzb_with_bad_segments.nzb.gz', badSegments],
  ['ravencentric/valid_nzb_with_one_missing_segment.nzb', {
    meta: {},
    names: BUNNY,
    // Only 13 (an empty message-id) is dropped.
    segments: [1, 2, 3, 5, 23],
    summary: summaryOf({ files: 5, segments: 34, bytes: 21965221, invalidSegments: 1, missingSegments: 1 }),
    stored: { files: 5, segments: 34, bytes: 21965221, duplicateFiles: 0 },
    passwords: [],
  }],
  ['sonarr/NewznabError.nzb', {
    error: {
      code: 'nzb-indexer-error',
      message:
        "NewznabError.nzb is an error message from the indexer, not an NZB (error 201: Incorrect parameter). Check the indexer's API key or request and download it again.",
      details: { file: 'NewznabError.nzb', indexerCode: '201', description: 'Incorrect parameter' },
    },
  }],
  ['sonarr/NoFiles.nzb', {
    error: {
      code: 'nzb-invalid',
      message: 'NoFiles.nzb contains no files with segments; there is nothing to import.',
      details: { file: 'NoFiles.nzb', emptyFiles: 0 },
    },
  }],
  // A web page whose root is <fail> (with <file> elements inside, which must not be read).
  ['sonarr/NotNzb.nzb', {
    error: {
      code: 'nzb-invalid',
      message: 'NotNzb.nzb is not an NZB file (its document is <fail>, not <nzb>).',
      details: { file: 'NotNzb.nzb' },
    },
  }],
];

const expectationFor = (rel: string): Expectation => {
  const found = EXPECTED.find(([r]) => r === rel);
  if (!found) throw new Error(`no expectation for ${rel}`);
  return found[1];
};

const warningsOf = (e: Accepted): NzbImportWarnings => ({
  emptyFiles: e.summary.emptyFiles,
  invalidSegments: e.summary.invalidSegments,
  duplicateSegments: e.summary.duplicateSegments,
  missingSegments: e.summary.missingSegments,
  emptyGroups: e.summary.emptyGroups,
  duplicateFiles: e.stored.duplicateFiles,
  invalidMessageIds: e.summary.invalidMessageIds,
  invalidGroups: e.summary.invalidGroups,
});

const sha256 = (rel: string): string => createHash('sha256').update(fs.readFileSync(fixturePath(rel))).digest('hex');


describe('NZB fixtures from other projects', () => {
  it('has an expectation for every fixture on disk, and no more', () => {
    const onDisk: string[] = [];
    for (const folder of fs.readdirSync(FIXTURES, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      for (const f of fs.readdirSync(path.join(FIXTURES, folder.name))) {
        if (/\.nzb(\.gz)?$/u.test(f)) onDisk.push(`${folder.name}/${f}`);
      }
    }
    expect(onDisk.sort()).toEqual(EXPECTED.map(([rel]) => rel).sort());
    expect(onDisk).toHaveLength(21);
  });

  describe('parser', () => {
    for (const [rel, expected] of EXPECTED) {
      it(`reads ${rel}`, async () => {
        if (isRefused(expected)) {
          const error = await expectCode(readFixture(rel), expected.error.code);
          expect(error.message).toBe(expected.error.message);
          expect(error.details).toEqual(expected.error.details);
          return;
        }
        const parsed = await readFixture(rel);
        expect(parsed.head.meta).toEqual(expected.meta);
        expect(names(parsed.files)).toEqual(expected.names);
        expect(parsed.files.map((f) => f.segments.length)).toEqual(expected.segments);
        expect(parsed.summary).toEqual(expected.summary);
        // The summary is the sum of what was yielded.
        let bytes = 0;
        for (const f of parsed.files) for (const s of f.segments) bytes += s.bytes;
        expect(bytes).toBe(expected.summary.bytes);
      });
    }

    it('does not depend on where the chunks split (one byte at a time gives the same result)', async () => {
      // The fixtures are ASCII, so this holds even though the text encoding is chosen from the
      // first chunk alone (see the iso-8859-1 case below, which is given in one chunk).
      for (const [rel, expected] of EXPECTED) {
        if (isRefused(expected)) continue;
        const bytes = fs.readFileSync(fixturePath(rel));
        const whole = await readNzb(chunks(bytes), { name: path.basename(rel) });
        // Plain documents only: gzip is split by the gunzip stream, not by the source.
        const pieces = rel.endsWith('.nzb') ? Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)) : [bytes];
        const split = await readNzb(chunks(...pieces), { name: path.basename(rel) });
        expect(split, rel).toEqual(whole);
        expect(whole, rel).toEqual(await readFixture(rel));
      }
    });

    it('gives the same files and summary when every file longer than a few segments comes in parts', async () => {
      // Parts of 2 and 3 segments split 24 files of the real NZBs. None of them leaves number
      // order after its first part; nzb-huge-file.test.ts covers that (mergeTail).
      for (const [rel, expected] of EXPECTED) {
        if (isRefused(expected)) continue;
        const whole = await readFixture(rel);
        for (const maxFileSegments of [2, 3]) {
          const parted = await readNzb(fs.createReadStream(fixturePath(rel)), { name: path.basename(rel), maxFileSegments });
          expect(parted, `${rel} in parts of ${maxFileSegments}`).toEqual(whole);
        }
      }
    });

    describe("nzbget's expected parse (its .txt files)", () => {
      for (const base of NZBGET) {
        it(`matches nzbget/${base}.txt`, async () => {
          const want = nzbget[base];
          const parsed = await readFixture(`nzbget/${base}.nzb`);
          expect(parsed.files).toHaveLength(want.count);
          expect(names(parsed.files)).toEqual(want.names);
          // nzbget's password comes from the meta or from "{{…}}" in the file name.
          const fromName = describeNzbFileName(`${base}.nzb`).password;
          const passwords = [...(parsed.head.meta.password ?? []), ...(fromName === null ? [] : [fromName])];
          expect(passwords).toEqual(want.passwords);
        });
      }

      it('reads each .txt whole: as many names as its count says, a password in two of them', () => {
        // A reading of the .txt that silently dropped lines would make the tests above vacuous.
        expect(NZBGET.map((b) => nzbget[b].count)).toEqual(NZBGET.map((b) => nzbget[b].names.length));
        expect(NZBGET.map((b) => nzbget[b].passwords.length)).toEqual([0, 1, 1, 0]);
      });

      it('finds the password of passwdMeta.nzb in its meta', async () => {
        const parsed = await readFixture('nzbget/passwdMeta.nzb');
        expect(parsed.head.meta).toEqual({ password: ['hqn8zQSuYBwWeoscZaOplJ'] });
      });
    });

    it('takes a password from {{…}} in the file name and keeps the title', () => {
      expect(describeNzbFileName('passwd{{thisisthepassword}}.nzb')).toEqual({ title: 'passwd', password: 'thisisthepassword' });
      expect(describeNzbFileName('passwdMeta.nzb')).toEqual({ title: 'passwdMeta', password: null });
      expect(describeNzbFileName('invalid_gzipped_nzb.nzb.gz')).toEqual({ title: 'invalid_gzipped_nzb', password: null });
    });

    it('decodes entity-escaped text in subjects, posters and meta', async () => {
      // &#34; in dotless.nzb, &quot; and &gt; in plain.nzb, &lt; &gt; in the ravencentric posters.
      const dotless = await readFixture('nzbget/dotless.nzb');
      expect(dotless.files[0]?.subject).toBe('20155f68b0df03cc9bca2c58d426163ff [2/15] - "20155f68b0df03cc9bca2c58d426163ff" yEnc (62/68)');
      const plain = await readFixture('nzbget/plain.nzb');
      expect(plain.files[0]?.subject).toBe('"ubuntu-12.04-desktop-i386.nfo" yEnc (1/1)');
      expect(plain.head.meta.category).toEqual(['TV > 4K']);
      const noMeta = await readFixture('ravencentric/no_meta.nzb');
      expect(noMeta.files[0]?.poster).toBe('Joe Bloggs <bloggs@nowhere.example>');
      const bunny = await readFixture('ravencentric/valid_nzb_with_bad_segments.nzb');
      expect(bunny.files.map((f) => f.poster)).toEqual(Array<string>(5).fill('John <nzb@nowhere.example>'));
      expect(bunny.files[4]?.subject).toBe('[1/5] - "Big Buck Bunny - S01E01.mkv" yEnc (1/24) 16981056');
    });

    it('reads every attribute of a file: poster, date in seconds, groups, segments', async () => {
      const parsed = await readFixture('ravencentric/bad_subject.nzb');
      expect(parsed.files).toEqual([
        {
          subject: 'WQDMm92SQnbDguxHUwXugqbku5Z22JSs',
          poster: 'FbjZNcpKEpnyhZeY2T9J6zmoeYRuQvUF',
          date: 1071674882,
          groups: ['alt.binaries.newzbin', 'alt.binaries.mojo'],
          segments: [
            { number: 1, bytes: 102394, messageId: '123456789abcdef@news.newzbin.com' },
            { number: 2, bytes: 4501, messageId: '987654321fedbca@news.newzbin.com' },
          ],
          missingNumbers: 0,
          duplicates: 0,
          invalidSegments: 0,
        },
      ]);
    });

    it('drops invalid segments and counts the numbers they leave missing', async () => {
      const parsed = await readFixture('ravencentric/valid_nzb_with_bad_segments.nzb');
      const main = parsed.files[4];
      expect(main?.subject).toContain('Big Buck Bunny - S01E01.mkv"');
      expect(main?.segments.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      expect(main?.invalidSegments).toBe(3);
      expect(main?.missingNumbers).toBe(3);
      expect(main?.duplicates).toBe(0);
      // The other four files are whole.
      expect(parsed.files.slice(0, 4).map((f) => [f.invalidSegments, f.missingNumbers])).toEqual([
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ]);
    });

    it('gives identical results for valid_nzb_with_bad_segments as .nzb and as .nzb.gz', async () => {
      const gz = fs.readFileSync(fixturePath('ravencentric/valid_nzb_with_bad_segments.nzb.gz'));
      expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
      expect(await readFixture('ravencentric/valid_nzb_with_bad_segments.nzb.gz')).toEqual(await readFixture('ravencentric/valid_nzb_with_bad_segments.nzb'));
    });

    it('reads invalid_gzipped_nzb.nzb.gz, which is plain XML, by sniffing its content', async () => {
      // The name says gzip; the bytes say XML. Content decides, so it parses like any NZB.
      const bytes = fs.readFileSync(fixturePath('ravencentric/invalid_gzipped_nzb.nzb.gz'));
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('<?xml');
      const parsed = await readFixture('ravencentric/invalid_gzipped_nzb.nzb.gz');
      expect(parsed.files).toHaveLength(1);
      expect(parsed.files[0]?.groups).toEqual(['alt.binaries.newzbin', 'alt.binaries.mojo']);
    });

    it('counts an empty <group> and keeps the file it belongs to', async () => {
      const parsed = await readFixture('ravencentric/malformed_groups.nzb');
      expect(parsed.summary.emptyGroups).toBe(1);
      expect(parsed.files.map((f) => f.groups)).toEqual([[], ['alt.binaries.newzbin', 'alt.binaries.mojo']]);
    });

    it('decodes an iso-8859-1 document by its declaration', async () => {
      // The fixtures that declare iso-8859-1 are all ASCII, so put Latin-1 bytes into one.
      const source = fs.readFileSync(fixturePath('ravencentric/bad_subject.nzb'));
      expect(source.subarray(0, 60).toString('latin1')).toContain('encoding="iso-8859-1"');
      const token = 'WQDMm92SQnbDguxHUwXugqbku5Z22JSs';
      const at = source.indexOf(token);
      const latin1 = Buffer.from('Caf\u00e9-\u00bd.bin', 'latin1');
      expect(latin1).toHaveLength(10); // one byte per character: not UTF-8
      const doc = Buffer.concat([source.subarray(0, at), latin1, source.subarray(at + token.length)]);
      const parsed = await readNzb(chunks(doc), { name: 'latin1.nzb' });
      expect(parsed.files[0]?.subject).toBe('Caf\u00e9-\u00bd.bin');
      expect(fileNameFromSubject(parsed.files[0]?.subject ?? '')).toBe('Caf\u00e9-\u00bd.bin');
    });
  });

  describe('importer', () => {
    let dir: string;
    let store: CatalogStore;

    beforeEach(async () => {
      dir = makeTempDir('nzb-fixtures');
      store = await SqliteStore.open(path.join(dir, 'strata.db'));
    });

    afterEach(async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const expectOutcome = (result: NzbImportResult, rel: string, expected: Expectation): void => {
      if (isRefused(expected)) {
        expect(result.status, rel).toBe('failed');
        expect(result.error, rel).toEqual({ name: 'StrataError', ...expected.error });
        expect([result.files, result.segments, result.bytes, result.folder, result.sourceId], rel).toEqual([0, 0, 0, null, null]);
        return;
      }
      expect(result.status, rel).toBe('imported');
      expect(result.error, rel).toBeUndefined();
      expect(result.folder, rel).toBe(describeNzbFileName(path.basename(rel)).title);
      expect({ files: result.files, segments: result.segments, bytes: result.bytes }, rel).toEqual({
        files: expected.stored.files,
        segments: expected.stored.segments,
        bytes: expected.stored.bytes,
      });
      expect(result.passwords, rel).toEqual(expected.passwords);
      expect(result.warnings, rel).toEqual(warningsOf(expected));
    };

    it('imports each fixture alone (a collection each) with its counts, passwords and warnings', async () => {
      let files = 0;
      for (const [i, [rel, expected]] of EXPECTED.entries()) {
        const c = await store.createCollection({ name: `fixture ${i}`, source: 'nzb' });
        const result = await importNzbFile(store, c.id, fixturePath(rel), { inline: true });
        expectOutcome(result, rel, expected);
        const listed = await store.listFiles({ collectionId: c.id, limit: 1000 });
        if (isRefused(expected)) {
          expect(listed.items, rel).toEqual([]);
          continue;
        }
        files += expected.stored.files;
        const unique = [...new Set(expected.names)];
        expect(listed.items.map((f) => f.relPath).sort(), rel).toEqual(unique.map((n) => `${result.folder}/${n}`).sort());
        expect(new Set(listed.items.map((f) => f.nzbSourceId)), rel).toEqual(new Set([result.sourceId]));
        const source = await store.getNzbSource(c.id, { contentHash: sha256(rel) });
        expect(source?.id, rel).toBe(result.sourceId);
        expect(source?.fileName, rel).toBe(path.basename(rel));
        expect(source?.complete, rel).toBe(true);
        // Stored as read: repeated and unknown meta types kept, passwords without repeats.
        expect(source?.meta, rel).toEqual(expected.meta);
        expect(source?.passwords, rel).toEqual(expected.passwords);
        expect(source?.tags, rel).toEqual(expected.meta.tag ?? []);
      }
      expect((await store.stats()).files).toBe(files);
      expect(await store.checkIntegrity()).toMatchObject({ ok: true, problems: [] });
    });

    it('stores title, category and tags from the meta (title falls back to the "name" meta)', async () => {
      const c = await store.createCollection({ name: 'Meta', source: 'nzb' });
      for (const rel of ['ravencentric/malformed_groups.nzb', 'ravencentric/non_standard_meta.nzb', 'nzbget/passwd{{thisisthepassword}}.nzb']) {
        // Each into a collection of its own would also do; these three share no posting.
        expect((await importNzbFile(store, c.id, fixturePath(rel), { inline: true })).status, rel).toBe('imported');
      }
      const groups = await store.getNzbSource(c.id, { contentHash: sha256('ravencentric/malformed_groups.nzb') });
      expect(groups).toMatchObject({ title: 'Your File!', category: 'TV', tags: ['HD', 'WEB-DL'], passwords: ['secret'], meta: REPEATED_META });
      const nonStandard = await store.getNzbSource(c.id, { contentHash: sha256('ravencentric/non_standard_meta.nzb') });
      expect(nonStandard).toMatchObject({ title: 'Your File!', category: null, tags: [], passwords: [] });
      expect(nonStandard?.meta).toEqual({ name: ['Your File!'], badmeta1: ['secret'], badmeta2: ['HD'], badmeta3: ['TV'] });
      const passwd = await store.getNzbSource(c.id, { contentHash: sha256('nzbget/passwd{{thisisthepassword}}.nzb') });
      expect(passwd).toMatchObject({ title: null, passwords: nzbget['passwd{{thisisthepassword}}'].passwords, meta: {} });
    });

    it('imports all fixtures into one collection: shared postings become duplicates, re-imports add nothing', async () => {
      const c = await store.createCollection({ name: 'Everything', source: 'nzb' });
      // What happens in path order. Many fixtures are one posting (the same message-ids in the
      // same order) saved differently, so only the first of each is imported; "of" names it.
      const outcomes: [string, 'imported' | 'failed' | { duplicateOf: string }][] = [
        ['nzbget/dotless.nzb', 'imported'],
        ['nzbget/passwdMeta.nzb', 'imported'],
        ['nzbget/passwd{{thisisthepassword}}.nzb', { duplicateOf: 'nzbget/passwdMeta.nzb' }],
        ['nzbget/plain.nzb', { duplicateOf: 'nzbget/passwdMeta.nzb' }],
        ['ravencentric/bad_subject.nzb', 'imported'],
        ['ravencentric/invalid_gzipped_nzb.nzb.gz', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/malformed_files.nzb', 'failed'],
        ['ravencentric/malformed_files2.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/malformed_groups.nzb', 'imported'],
        ['ravencentric/malformed_segments.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/no_meta.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/non_standard_meta.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/nzb_with_no_head.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        // Its two files are malformed_groups' two listings (same articles, in the same order).
        ['ravencentric/one_rar_file.nzb', { duplicateOf: 'ravencentric/malformed_groups.nzb' }],
        ['ravencentric/single_meta.nzb', { duplicateOf: 'ravencentric/bad_subject.nzb' }],
        ['ravencentric/valid_nzb_with_bad_segments.nzb', 'imported'],
        ['ravencentric/valid_nzb_with_bad_segments.nzb.gz', { duplicateOf: 'ravencentric/valid_nzb_with_bad_segments.nzb' }],
        ['ravencentric/valid_nzb_with_one_missing_segment.nzb', 'imported'],
        ['sonarr/NewznabError.nzb', 'failed'],
        ['sonarr/NoFiles.nzb', 'failed'],
        ['sonarr/NotNzb.nzb', 'failed'],
      ];
      expect(outcomes.map(([rel]) => rel)).toEqual(EXPECTED.map(([rel]) => rel));

      const sourceOf = new Map<string, number>();
      const before = storeCounts(await store.stats());
      let expectedFiles = 0;
      let expectedSegments = 0;
      let expectedBytes = 0;
      const expectedPaths: string[] = [];
      for (const [rel, outcome] of outcomes) {
        const expected = expectationFor(rel);
        const result = await importNzbFile(store, c.id, fixturePath(rel), { inline: true });
        if (outcome === 'imported' || outcome === 'failed') {
          expect(result.status, rel).toBe(outcome);
          expectOutcome(result, rel, expected);
          if (outcome === 'imported' && !isRefused(expected)) {
            sourceOf.set(rel, result.sourceId ?? -1);
            expectedFiles += expected.stored.files;
            expectedSegments += expected.stored.segments;
            expectedBytes += expected.stored.bytes;
            for (const n of new Set(expected.names)) expectedPaths.push(`${result.folder}/${n}`);
          }
        } else {
          expect(result.status, rel).toBe('duplicate');
          expect(result.sourceId, rel).toBe(sourceOf.get(outcome.duplicateOf));
          expect([result.files, result.segments, result.bytes, result.folder], rel).toEqual([0, 0, 0, null]);
          expect(result.error, rel).toBeUndefined();
          if (!isRefused(expected)) {
            // Found after reading the whole document: its warnings are still reported, and the
            // passwords are those of the NZB already in the catalogue (the one that is kept).
            const kept = await store.getNzbSource(c.id, { id: sourceOf.get(outcome.duplicateOf) ?? -1 });
            expect(result.passwords, rel).toEqual(kept?.passwords);
            expect(result.warnings, rel).toEqual(warningsOf(expected));
          }
          // Nothing of the duplicate is kept, not even its source.
          expect(await store.getNzbSource(c.id, { contentHash: sha256(rel) }), rel).toBeNull();
        }
        const after = storeCounts(await store.stats());
        expect(after, rel).toEqual({ ...before, folders: sourceOf.size, files: expectedFiles, segments: expectedSegments, bytes: expectedBytes });

        // The same file again: a duplicate (or the same failure), and nothing changes.
        const again = await importNzbFile(store, c.id, fixturePath(rel), { inline: true });
        if (outcome === 'failed') {
          expect(again.status, rel).toBe('failed');
          expect(again.error, rel).toEqual(result.error);
        } else {
          expect(again.status, rel).toBe('duplicate');
          expect(again.sourceId, rel).toBe(outcome === 'imported' ? result.sourceId : sourceOf.get(outcome.duplicateOf));
          expect([again.files, again.segments, again.bytes, again.folder], rel).toEqual([0, 0, 0, null]);
        }
        expect(storeCounts(await store.stats()), rel).toEqual(after);
      }

      expect(storeCounts(await store.stats())).toEqual({ collections: 1, folders: 6, files: 17, segments: 75, bytes: 45155822 });
      const listed = await store.listFiles({ collectionId: c.id, limit: 1000 });
      expect(listed.nextCursor).toBeNull();
      expect(listed.items.map((f) => f.relPath).sort()).toEqual(expectedPaths.sort());

      // The file-name password of a duplicate does not reach the posting already stored.
      const passwdMeta = await store.getNzbSource(c.id, { contentHash: sha256('nzbget/passwdMeta.nzb') });
      expect(passwdMeta?.passwords).toEqual(nzbget.passwdMeta.passwords);

      // The damaged main file of valid_nzb_with_bad_segments, as stored.
      const main = listed.items.find((f) => f.relPath === 'valid_nzb_with_bad_segments/Big Buck Bunny - S01E01.mkv');
      expect(main).toMatchObject({
        name: 'Big Buck Bunny - S01E01.mkv',
        // The size the yEnc subject states, not the sum of the segments that survived.
        size: 16981056,
        bytes: 15302789,
        subject: '[1/5] - "Big Buck Bunny - S01E01.mkv" yEnc (1/24) 16981056',
        poster: 'John <nzb@nowhere.example>',
        postedAt: 1706440708 * 1000,
        segmentCount: 21,
        missingCount: 3,
        duplicateCount: 0,
        state: 'partial',
        nzbSourceId: sourceOf.get('ravencentric/valid_nzb_with_bad_segments.nzb'),
      });
      const segments = await store.getSegments({ fileId: main?.id ?? -1 });
      expect(segments.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
      expect(segments[0]).toMatchObject({ bytes: 739067, messageId: '9cacde4c986547369becbf97003fb2c5-9483514693959@example' });

      // An unquoted, extension-less subject: the whole token names the file; the size is the sum.
      const obfuscated = listed.items.find((f) => f.relPath === 'bad_subject/WQDMm92SQnbDguxHUwXugqbku5Z22JSs');
      expect(obfuscated).toMatchObject({ size: 106895, segmentCount: 2, missingCount: 0, state: 'uploaded', postedAt: 1071674882000 });

      expect(await store.checkIntegrity()).toMatchObject({ ok: true, problems: [] });
    });

    it('parses in a worker thread with the same results as inline', async () => {
      // The worker path (the default) starts a thread per NZB, so a few fixtures stand for all:
      // gzip, a file-name password, a dropped duplicate file, and an indexer error.
      const rels = [
        'ravencentric/valid_nzb_with_bad_segments.nzb.gz',
        'nzbget/passwd{{thisisthepassword}}.nzb',
        'ravencentric/malformed_groups.nzb',
        'sonarr/NewznabError.nzb',
      ];
      const inWorker = await store.createCollection({ name: 'Worker', source: 'nzb' });
      const inline = await store.createCollection({ name: 'Inline', source: 'nzb' });
      for (const rel of rels) {
        const a = await importNzbFile(store, inWorker.id, fixturePath(rel));
        const b = await importNzbFile(store, inline.id, fixturePath(rel), { inline: true });
        expectOutcome(a, rel, expectationFor(rel));
        expect({ ...a, sourceId: null }, rel).toEqual({ ...b, sourceId: null });
      }
      const [w, i] = await Promise.all([
        store.listFiles({ collectionId: inWorker.id, limit: 1000 }),
        store.listFiles({ collectionId: inline.id, limit: 1000 }),
      ]);
      const shape = (items: typeof w.items): unknown[] =>
        items.map(({ relPath, size, subject, poster, postedAt, segmentCount, bytes, missingCount, duplicateCount, state }) => ({
          relPath,
          size,
          subject,
          poster,
          postedAt,
          segmentCount,
          bytes,
          missingCount,
          duplicateCount,
          state,
        }));
      expect(w.items).toHaveLength(5 + 3 + 1);
      expect(shape(w.items)).toEqual(shape(i.items));
      expect(await store.checkIntegrity()).toMatchObject({ ok: true, problems: [] });
    });
  });
});
