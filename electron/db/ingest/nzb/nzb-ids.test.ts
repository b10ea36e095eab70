/**
 * Message-ids and group names an NZB cannot carry: an import drops them and counts them, and
 * an export never writes one, even when the catalog holds one (written before Strata checked,
 * or by another path). The attack they stop: a message-id holding a newline and an
 * `ssh-rsa …` line, exported verbatim, becomes an accepted line of a line-based file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../conformance/test-engines';
import { SqliteStore } from '../../engines/sqlite/sqlite-store';
import { exportNzb } from './nzb-export';
import { isValidGroupName, isValidMessageId } from './nzb-ids';
import { importNzbFile } from './nzb-import';
import { readNzb } from './nzb-parser';
import { chunks, nzb11Violations } from './nzb-testing';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGZha2VrZXlmb3J0ZXN0aW5nb25seQ attacker@evil';

const hostile = (): string =>
  '<?xml version="1.0" encoding="UTF-8"?>\n<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">\n' +
  '<file poster="p" date="1" subject="&quot;x.bin&quot; yEnc (1/6)"><groups>' +
  `<group>alt.binaries.test</group><group>alt.bin&#10;${KEY}</group><group>has space</group><group>&lt;angle&gt;</group>` +
  '</groups><segments>' +
  '<segment bytes="100" number="1">good-1@example.com</segment>' +
  `<segment bytes="100" number="2">x@y&#10;${KEY}&#10;</segment>` +
  '<segment bytes="100" number="3">tab\there@example.com</segment>' +
  '<segment bytes="100" number="4">in&lt;side@example.com</segment>' +
  '<segment bytes="100" number="5">sep\u2028line@example.com</segment>' +
  '<segment bytes="100" number="6">\n    &lt;good-6@example.com&gt;\n  </segment>' +
  '</segments></file></nzb>\n';

describe('message-ids and group names', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(async () => {
    dir = makeTempDir('nzb-ids');
    store = await SqliteStore.open(path.join(dir, 'strata.db'));
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts what Usenet carries and refuses whitespace, controls and angle brackets', () => {
    for (const ok of ['part1of9.abc@news.example.com', 'a$b%c!d@[127.0.0.1]', 'x'.repeat(250)]) expect(isValidMessageId(ok)).toBe(true);
    for (const bad of ['', 'a b@c', 'a\nb@c', 'a\rb', 'a\u0000b', 'a<b', 'a>b', 'a\u2028b', 'a\u00a0b', 'a\u200bb', 'x'.repeat(999)]) expect(isValidMessageId(bad)).toBe(false);
    expect(isValidGroupName('alt.binaries.test')).toBe(true);
    for (const bad of ['alt binaries', 'alt.b\n', '<alt>', '']) expect(isValidGroupName(bad)).toBe(false);
  });

  it('the parser drops them and counts them', async () => {
    const parsed = await readNzb(chunks(hostile()), { name: 'hostile.nzb' });
    expect(parsed.files).toHaveLength(1);
    expect(parsed.files[0]?.segments.map((s) => s.messageId)).toEqual(['good-1@example.com', 'good-6@example.com']);
    expect(parsed.files[0]?.groups).toEqual(['alt.binaries.test']);
    expect(parsed.summary).toMatchObject({ invalidMessageIds: 4, invalidGroups: 3, segments: 2 });
  });

  it('an import reports the counts, and its export has no line an attacker wrote', async () => {
    const nzb = path.join(dir, 'hostile.nzb');
    fs.writeFileSync(nzb, hostile());
    const c = await store.createCollection({ name: 'H', source: 'nzb' });
    const r = await importNzbFile(store, c.id, nzb);
    expect(r.status).toBe('imported');
    expect(r.warnings).toMatchObject({ invalidMessageIds: 4, invalidGroups: 3 });
    expect(r.segments).toBe(2);
    const out = path.join(dir, 'out.nzb');
    const e = await exportNzb(store, out, { collectionId: c.id });
    expect(e.segments).toBe(2);
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).not.toContain('ssh-ed25519');
    expect(nzb11Violations(xml)).toEqual([]);
  });

  it('an export leaves out a message-id the catalog holds that an NZB cannot carry, and keeps a value\'s line breaks inside its line', async () => {
    const c = await store.createCollection({ name: 'Raw', source: 'nzb' });
    await store.ingest(c.id, [
      {
        files: [
          {
            path: 'a.bin',
            size: 300,
            subject: `"a.bin" yEnc (1/3)\n${KEY}`,
            groups: ['alt.binaries.test', `bad\n${KEY}`],
            segments: [
              { number: 1, bytes: 100, messageId: 'ok-1@example.com' },
              { number: 2, bytes: 100, messageId: `evil@x\n${KEY}` },
              { number: 3, bytes: 100, messageId: 'ok-3@example.com' },
            ],
          },
        ],
      },
    ]);
    const out = path.join(dir, 'raw.nzb');
    const e = await exportNzb(store, out, { collectionId: c.id });
    expect(e).toMatchObject({ segments: 2, skippedSegments: 1 });
    const lines = fs.readFileSync(out, 'utf8').split('\n');
    expect(lines.some((l) => l.startsWith('ssh-ed25519'))).toBe(false);
    // The subject keeps its text, as a character reference on the file's own line.
    expect(lines.find((l) => l.includes('<file '))).toContain('&#10;ssh-ed25519');
    const back = await readNzb(chunks(fs.readFileSync(out)), { name: 'raw.nzb' });
    expect(back.files[0]?.segments.map((s) => s.messageId)).toEqual(['ok-1@example.com', 'ok-3@example.com']);
    expect(back.files[0]?.groups).toEqual(['alt.binaries.test']);
    expect(back.files[0]?.subject).toBe(`"a.bin" yEnc (1/3)\n${KEY}`);
  });
});
