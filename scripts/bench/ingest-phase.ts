/**
 * One ingest phase in its own process: `api` goes through the store API, `raw` is the bare
 * better-sqlite3 loop it is measured against (prepared single-row insert of the same segment
 * rows into a plain table, 50,000-row transactions, index built after the load).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStore } from '../../electron/db/open-store';
import { generateCatalog } from '../generate/catalog-generator';
import { log, peakRssMb, round } from './bench-utils';
import { timedSource } from './timed-source';

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    segments: { type: 'string' },
    seed: { type: 'string', default: '42' },
    dir: { type: 'string' },
    engine: { type: 'string', default: 'sqlite' },
    shards: { type: 'string', default: '4' },
  },
});
const segments = Number(values.segments);
const seed = Number(values.seed);
const dir = values.dir as string;
const source = timedSource(generateCatalog({ segments, seed }));

// RSS includes the pages of the database file mapped by mmap (bounded by the mmap window);
// the JS heap is what would grow if a phase held rows in memory.
let peakHeapBytes = 0;
const heapSampler = setInterval(() => {
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
}, 100);
const sampleHeap = (): void => {
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
};

/**
 * CPU time of this process's main thread (the catalog thread) in ms, from /proc on Linux (null
 * elsewhere). Unlike wall time it does not depend on how busy the machine is, so it measures the
 * work a change takes off that thread even when the machine is shared.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

async function runApi(): Promise<Record<string, number>> {
  const engine = values.engine === 'sharded' ? 'sharded' : 'sqlite';
  const store = await openStore(dir, { engine, sharded: { shards: Number(values.shards) } });
  const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const threadBefore = mainThreadCpuMs();
  let lastLog = started;
  await store.ingest(collection.id, source, {
    onProgress: (p) => {
      if (performance.now() - lastLog > 5_000) {
        lastLog = performance.now();
        log(`  api: ${p.segments.toLocaleString()} segments`);
      }
      sampleHeap();
    },
  });
  const ms = performance.now() - started - source.generatingMs;
  const threadAfter = mainThreadCpuMs();
  const cpu = process.cpuUsage(cpuBefore);
  const stats = await store.stats();
  await store.close();
  return {
    ms,
    db_bytes: folderBytes(dir),
    segments_counted: stats.segments,
    // Both include the generator's time (it runs on the main thread), alike for both engines.
    ...(threadBefore !== null && threadAfter !== null ? { main_thread_cpu_ms: round(threadAfter - threadBefore) } : {}),
    process_cpu_ms: round((cpu.user + cpu.system) / 1000),
  };
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function runRaw(): Record<string, number> {
  const file = path.join(dir, 'raw.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE segments (file_id INTEGER, number INTEGER, bytes INTEGER, state INTEGER, hash BLOB, message_id TEXT, uploaded_at INTEGER)',
  );
  const insert = db.prepare('INSERT INTO segments VALUES (?, ?, ?, ?, ?, ?, ?)');
  let fileId = 0;
  let pending = 0;
  const started = performance.now();
  db.exec('BEGIN');
  for (const batch of source) {
    for (const file of batch.files) {
      fileId++;
      for (const s of file.segments) {
        insert.run(fileId, s.number, s.bytes, s.messageId ? 1 : 0, null, s.messageId ?? null, null);
        if (++pending === 50_000) {
          sampleHeap();
          db.exec('COMMIT');
          db.exec('BEGIN');
          pending = 0;
        }
      }
    }
  }
  db.exec('COMMIT');
  db.exec('CREATE INDEX segments_file ON segments (file_id, number)');
  const ms = performance.now() - started - source.generatingMs;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { ms, db_bytes: fs.statSync(file).size };
}

const result = values.mode === 'raw' ? runRaw() : await runApi();
clearInterval(heapSampler);
const ms = result.ms as number;
process.stdout.write(
  `${JSON.stringify({
    ...result,
    ms: round(ms),
    generating_ms: round(source.generatingMs),
    rows_per_s: round((segments / ms) * 1000),
    peak_rss_mb: peakRssMb(),
    peak_heap_mb: round(peakHeapBytes / 1048576, 1),
  })}\n`,
);
