/**
 * One Postgres ingest phase in its own process. `api` goes through the store API (COPY ingest
 * with files, folders, groups, full-text vectors and counters); `raw` is the bare baseline it
 * is measured against: COPY of the same segment rows into a plain table in 50,000-row
 * transactions, primary key built after the load.
 */
import { parseArgs } from 'node:util';
import { CopyBuffer } from '../../electron/db/engines/postgres/copy-buffer';
import { copyHexBytes, copyNumber, copyText } from '../../electron/db/migration/rows/copy-text';
import { generateCatalog } from '../generate/catalog-generator';
import { log, peakRssMb, round } from './bench-utils';
import { createBenchDatabase, dropBenchDatabase, openBenchDriver, openBenchStore, type PgBenchTarget } from './pg-bench-target';

const { values } = parseArgs({
  options: {
    mode: { type: 'string' },
    engine: { type: 'string' },
    segments: { type: 'string' },
    seed: { type: 'string', default: '42' },
    dir: { type: 'string' },
    url: { type: 'string' },
    partitions: { type: 'string' },
    // off: PGlite's own defaults (fsync off), the "before" of the durability figure.
    fsync: { type: 'string', default: 'on' },
  },
});
const segments = Number(values.segments);
const seed = Number(values.seed);
const target: PgBenchTarget = { engine: values.engine === 'postgres' ? 'postgres' : 'pglite', dir: values.dir as string, url: values.url };
const partitions = values.partitions ? Number(values.partitions) : undefined;
/**
 * Up to this size the batches are generated before the clock starts. The store reads one batch
 * ahead while the server works, so a generator running on this thread would overlap the
 * database work, and subtracting its time would then flatter the rate. Larger runs stream
 * (memory) and count generation in the rate instead: a conservative figure.
 */
const MATERIALIZE_MAX_SEGMENTS = 2_000_000;
const materialized = segments <= MATERIALIZE_MAX_SEGMENTS;
const generationStarted = performance.now();
const source = materialized ? [...generateCatalog({ segments, seed })] : generateCatalog({ segments, seed });
const generatingMs = materialized ? performance.now() - generationStarted : 0;
const RAW_TX_ROWS = 50_000;
/**
 * The process before any database opens, the generated input held (up to 2M segments) and the
 * garbage of generating it collected: peak_rss_mb minus this is what the store itself took.
 */
(globalThis as { gc?: () => void }).gc?.();
const inputRssMb = round(process.memoryUsage().rss / 1048576, 1);

let peakHeapBytes = 0;
const heapSampler = setInterval(() => {
  peakHeapBytes = Math.max(peakHeapBytes, process.memoryUsage().heapUsed);
}, 100);

async function runApi(databaseUrl: string | null): Promise<Record<string, number>> {
  const store = await openBenchStore(target, databaseUrl, partitions, values.fsync !== 'off');
  try {
    const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
    const started = performance.now();
    let lastLog = started;
    await store.ingest(collection.id, source, {
      onProgress: (p) => {
        if (performance.now() - lastLog > 5_000) {
          lastLog = performance.now();
          log(`  api: ${p.segments.toLocaleString()} segments`);
        }
      },
    });
    const ms = performance.now() - started;
    const stats = await store.stats();
    return { ms, db_bytes: stats.dbBytes, segments_counted: stats.segments };
  } finally {
    await store.close();
  }
}

async function runRaw(databaseUrl: string | null): Promise<Record<string, number>> {
  const driver = await openBenchDriver(target, databaseUrl);
  try {
    await driver.exec(
      'CREATE TABLE segments_raw (file_id bigint, number integer, bytes bigint, state smallint, hash bytea, message_id text, uploaded_at bigint)',
    );
    const columns = ['file_id', 'number', 'bytes', 'state', 'hash', 'message_id', 'uploaded_at'];
    let fileId = 0;
    const buffer = new CopyBuffer();
    const started = performance.now();
    const flush = async (): Promise<void> => {
      const chunks = buffer.finish();
      await driver.transaction((tx) => tx.copyFrom('segments_raw', columns, chunks));
    };
    for (const batch of source) {
      for (const file of batch.files) {
        fileId++;
        for (const s of file.segments) {
          buffer.add(
            `${fileId}\t${s.number}\t${s.bytes}\t${s.messageId ? 1 : 0}\t${copyHexBytes(s.hash)}\t${copyText(s.messageId)}\t${copyNumber(s.uploadedAt)}\n`,
          );
          if (buffer.rowCount >= RAW_TX_ROWS) await flush();
        }
      }
    }
    await flush();
    await driver.exec('ALTER TABLE segments_raw ADD PRIMARY KEY (file_id, number)');
    const ms = performance.now() - started;
    return { ms, db_bytes: await driver.databaseBytes() };
  } finally {
    await driver.close();
  }
}

const dbName = `strata_bench_${process.pid}`;
const databaseUrl = target.engine === 'postgres' ? await createBenchDatabase(target.url as string, dbName) : null;
let result: Record<string, number>;
try {
  result = values.mode === 'raw' ? await runRaw(databaseUrl) : await runApi(databaseUrl);
} finally {
  if (target.engine === 'postgres') await dropBenchDatabase(target.url as string, dbName);
}
clearInterval(heapSampler);
const ms = result.ms as number;
process.stdout.write(
  `${JSON.stringify({
    ...result,
    ms: round(ms),
    generating_ms: round(generatingMs),
    generation: materialized ? 'before timing' : 'inside timing',
    rows_per_s: round((segments / ms) * 1000),
    peak_rss_mb: peakRssMb(),
    input_rss_mb: inputRssMb,
    peak_heap_mb: round(peakHeapBytes / 1048576, 1),
  })}\n`,
);
