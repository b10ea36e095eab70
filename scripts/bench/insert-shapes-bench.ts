/**
 * `npm run bench -- insert-shapes --segments N`: the segment-insert statement shapes tier 1
 * chose between, on the same generated rows: a plain heap table with its index built after
 * the load (the raw baseline), and the WITHOUT ROWID table with single-row inserts, 64-row
 * blocks of 7 values per row, and the lean 64-row block (file id and first number bound once).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { IngestSegment } from '../../electron/db/store';
import { generateCatalog } from '../generate/catalog-generator';
import { log, round, tempDir } from './bench-utils';
import { timedSource } from './timed-source';

const SHAPES = ['raw', 'single', 'block7', 'lean'] as const;
type Shape = (typeof SHAPES)[number];
const BLOCK = 64;

function runShape(shape: Shape, dir: string, segments: number, seed: number): number {
  const file = path.join(dir, `${shape}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  const clustered = shape !== 'raw';
  db.exec(
    `CREATE TABLE segments (file_id INTEGER NOT NULL, number INTEGER NOT NULL, bytes INTEGER NOT NULL, state INTEGER NOT NULL,
       hash BLOB, message_id TEXT, uploaded_at INTEGER${clustered ? ', PRIMARY KEY (file_id, number)) WITHOUT ROWID' : ')'}`,
  );
  const single = db.prepare('INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?)');
  const block7 = db.prepare(`INSERT INTO segments VALUES ${Array.from({ length: BLOCK }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`);
  const lean = db.prepare(
    `INSERT INTO segments VALUES ${Array.from({ length: BLOCK }, (_, k) => `(@f, @n + ${k}, ?, ?, ?, ?, NULL)`).join(', ')}`,
  );
  const p7 = new Array<unknown>(BLOCK * 7);
  const p4 = new Array<unknown>(BLOCK * 4);
  const source = timedSource(generateCatalog({ segments, seed }));
  let fileId = 0;
  const writeFile = (segs: IngestSegment[]): void => {
    fileId++;
    const whole = shape === 'block7' || shape === 'lean' ? segs.length - (segs.length % BLOCK) : 0;
    for (let start = 0; start < whole; start += BLOCK) {
      let p = 0;
      if (shape === 'lean') {
        for (let i = start; i < start + BLOCK; i++) {
          const s = segs[i] as IngestSegment;
          p4[p++] = s.bytes;
          p4[p++] = 1;
          p4[p++] = null;
          p4[p++] = s.messageId ?? null;
        }
        lean.run(p4, { f: fileId, n: (segs[start] as IngestSegment).number });
      } else {
        for (let i = start; i < start + BLOCK; i++) {
          const s = segs[i] as IngestSegment;
          p7[p++] = fileId;
          p7[p++] = s.number;
          p7[p++] = s.bytes;
          p7[p++] = 1;
          p7[p++] = null;
          p7[p++] = s.messageId ?? null;
          p7[p++] = null;
        }
        block7.run(p7);
      }
    }
    for (let i = whole; i < segs.length; i++) {
      const s = segs[i] as IngestSegment;
      single.run(fileId, s.number, s.bytes, 1, null, s.messageId ?? null, null);
    }
  };
  const started = performance.now();
  const batchTx = db.transaction((files: { segments: IngestSegment[] }[]) => {
    for (const f of files) writeFile(f.segments);
  });
  for (const batch of source) batchTx(batch.files);
  if (!clustered) db.exec('CREATE INDEX segments_file ON segments (file_id, number)');
  const ms = performance.now() - started - source.generatingMs;
  db.close();
  fs.rmSync(file, { force: true });
  return round((segments / ms) * 1000);
}

export function insertShapesBench(opts: { segments: number; seed: number; runs: number }): Record<string, unknown> {
  const dir = tempDir('shapes');
  const rates: Record<Shape, number[]> = { raw: [], single: [], block7: [], lean: [] };
  try {
    for (let run = 1; run <= opts.runs; run++) {
      for (const shape of SHAPES) rates[shape].push(runShape(shape, dir, opts.segments, opts.seed));
      log(`run ${run}: ${SHAPES.map((s) => `${s} ${String(rates[s].at(-1))}`).join(', ')} rows/s`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return {
    bench: 'insert-shapes',
    segments: opts.segments,
    runs: opts.runs,
    ...Object.fromEntries(SHAPES.map((s) => [`${s}_rows_per_s`, med(rates[s])])),
    lean_vs_raw: round(med(rates.lean) / med(rates.raw), 3),
  };
}
