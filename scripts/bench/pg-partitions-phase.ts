/**
 * One partition count of `pg-partitions` in its own process: a fresh database on the server,
 * N generated segments through the store API (generation inside the timing) with `segments` in P hash partitions, then the
 * query workload on the catalog just built. Prints one JSON object; the database is dropped.
 */
import { parseArgs } from 'node:util';
import { generateCatalog } from '../generate/catalog-generator';
import { log, peakRssMb, round } from './bench-utils';
import { createBenchDatabase, dropBenchDatabase, openBenchStore } from './pg-bench-target';
import { latencyFields, runQueryWorkload } from './query-workload';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    partitions: { type: 'string' },
    segments: { type: 'string' },
    seed: { type: 'string', default: '42' },
    samples: { type: 'string', default: '2000' },
  },
});
const url = values.url as string;
const partitions = Number(values.partitions);
const segments = Number(values.segments);
const seed = Number(values.seed);
const samples = Number(values.samples);

const name = `strata_bench_parts_${process.pid}`;
const databaseUrl = await createBenchDatabase(url, name);
try {
  const store = await openBenchStore({ engine: 'postgres', dir: '' }, databaseUrl, partitions);
  try {
    const collection = await store.createCollection({ name: 'bench', source: 'nzb' });
    // Streamed: 10M segments do not fit in memory as objects. The store reads one batch ahead
    // while the server works, so generation time is left in the rate (a conservative figure).
    const source = generateCatalog({ segments, seed });
    const started = performance.now();
    let lastLog = started;
    await store.ingest(collection.id, source, {
      onProgress: (p) => {
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`  P=${partitions}: ${p.segments.toLocaleString()} segments`);
        }
      },
    });
    const ingestMs = performance.now() - started;
    log(`  P=${partitions}: queries…`);
    await runQueryWorkload(store, Math.min(200, samples), seed + 1);
    const latencies = latencyFields(await runQueryWorkload(store, samples, seed + 2));
    const stats = await store.stats();
    process.stdout.write(
      `${JSON.stringify({
        rows_per_s: round((segments / ingestMs) * 1000),
        ingest_ms: round(ingestMs),
        ...latencies,
        bytes_per_segment: round(stats.dbBytes / stats.segments, 1),
        segments_counted: stats.segments,
        peak_rss_mb: peakRssMb(),
      })}\n`,
    );
  } finally {
    await store.close();
  }
} finally {
  await dropBenchDatabase(url, name);
}
