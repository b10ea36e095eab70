/**
 * The canonical row text (row-text.ts) has three spellings: JavaScript over streamed rows,
 * SQLite's SQL (text batches) and PostgreSQL's SQL (engine-side digests). Here every engine's
 * digest of every table must agree with the JavaScript one over the same catalog, including
 * names with tabs, newlines, carriage returns, backslashes, `\N`, quotes and non-ASCII text,
 * empty strings beside NULLs, and segment hashes beside segments without one.
 */
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { libraryBatch } from '../../conformance/fixtures';
import { makeTempDir, selectedEngines } from '../../conformance/test-engines';
import { crc32c } from './row-digest';
import { TABLES, type CatalogStore, type IngestBatch } from '../../store';
import { TableDigest } from './table-digest';

const AWKWARD = ['tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'quote"d, (paren)', 'Ünïcødé 🎞', ' lead', 'x'];

function awkwardBatch(): IngestBatch {
  return {
    files: AWKWARD.map((name, i) => ({
      path: `${name} dir/${name}.bin`,
      size: 100 + i,
      subject: i % 2 ? name : '',
      poster: i % 3 ? null : `${name}@example.com`,
      segments: [
        { number: 1, bytes: 60, hash: i % 2 ? '00ff10ab' : null, messageId: `${name}-1@news` },
        { number: 2, bytes: 40 + i, messageId: i % 2 ? null : `back\\slash\t${i}` },
      ],
    })),
  };
}

async function readDigest(store: CatalogStore, table: (typeof TABLES)[number]): Promise<TableDigest> {
  const digest = new TableDigest(table);
  for await (const batch of store.streamTable(table, { batchSize: 5_000 })) for (const row of batch.rows) digest.addRow(row);
  return digest;
}

describe('table digests', () => {
  const dirs: string[] = [];
  const open: CatalogStore[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('CRC-32C matches PostgreSQL’s crc32c (its documented example)', () => {
    expect(crc32c(Buffer.from('abc'))).toBe(910901175);
  });

  for (const engine of selectedEngines()) {
    it(`${engine.name}: text batches and engine digests agree with the JavaScript digest of the rows`, async () => {
      const dir = makeTempDir(`digest-${engine.name}`);
      dirs.push(dir);
      const store = await engine.open(dir);
      open.push(store);
      const collection = await store.createCollection({ name: 'Awkward \\N name', source: 'local', rootPath: '/r\\oot\there' });
      await store.ingest(collection.id, [libraryBatch(), awkwardBatch()]);
      for (const table of TABLES) {
        const expected = await readDigest(store, table);
        expect(expected.count, table).toBeGreaterThan(table === 'nzb_sources' ? -1 : 0);
        const text = store.streamTableText?.(table, { batchSize: 5_000 }) ?? null;
        if (text) {
          const fromText = new TableDigest(table);
          for await (const batch of text) fromText.addLines(batch.text);
          expect(fromText.toString(), `${table} as text`).toBe(expected.toString());
        }
        const computed = (await store.digestTable?.(table)) ?? null;
        if (computed) expect(TableDigest.of(table, computed).toString(), `${table} digested by the engine`).toBe(expected.toString());
      }
    });
  }
});
