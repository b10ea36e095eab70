/**
 * Benchmarks: `npm run bench -- <cli|ingest|query|reshard|migrate|pragmas|insert-shapes|import-nzb|nzb-memory|index|ipc|import-stalls|pg-start|pg-partitions|ui> [--engine sqlite] [--segments N]`.
 * Postgres engines: `--engine pglite`, or `--engine postgres [--url <superuser connection string>]`
 * (without --url, the portable server started for the run); `--partitions P` sets the segments
 * partition count of the catalogs the bench creates; `pg-partitions --counts 1,4,8` compares counts.
 * `migrate --from sqlite --to postgres [--vs-pgloader] [--bundled] [--trace-statements] [--cpu-prof-dir D]`; `reshard --to M` (shards).
 * `ui [--files N] [--phases paint,scroll,move[,control]] [--move-window-s S] [--trace-dir D] [--profile]`.
 * Progress goes to stderr; the last line on stdout is one JSON object with the results.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ingestBench } from './ingest-bench';
import { queryBench } from './query-bench';
import { pragmasBench } from './pragmas-bench';
import { insertShapesBench } from './insert-shapes-bench';
import { importNzbBench } from './import-nzb-bench';
import { nzbMemoryBench } from './nzb-memory-bench';
import { indexBench } from './index-bench';
import { ipcBench } from './ipc-bench';
import { importStallsBench } from './import-stalls-bench';
import { reshardBench } from './reshard-bench';
import { pgStartBench } from './pg-start-bench';
import { pgPartitionsBench } from './pg-partitions-bench';
import { migrateBench } from './migrate-bench';
import { uiFilesCatalog } from './ui-files-catalog';
import { cliStartBench } from './cli-start-bench';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engine: { type: 'string', default: 'sqlite' },
    shards: { type: 'string', default: '4' },
    // reshard: the new shard count (default 8); migrate: the target engine (default postgres).
    to: { type: 'string' },
    from: { type: 'string', default: 'sqlite' },
    'vs-pgloader': { type: 'boolean', default: false },
    bundled: { type: 'boolean', default: false },
    'trace-statements': { type: 'boolean', default: false },
    'batch-size': { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
    segments: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '42' },
    samples: { type: 'string', default: '2000' },
    keep: { type: 'boolean', default: false },
    rebuild: { type: 'boolean', default: false },
    'fsync-compare': { type: 'boolean', default: false },
    runs: { type: 'string' },
    mb: { type: 'string', default: '2000' },
    url: { type: 'string' },
    partitions: { type: 'string' },
    counts: { type: 'string', default: '1,4,8,16,32' },
    files: { type: 'string', default: '1000000' },
    // ui: which parts to run, how long to watch the move, where to keep traces, stack sampling.
    phases: { type: 'string', default: 'paint,scroll,move' },
    'move-window-s': { type: 'string', default: '0' },
    'trace-dir': { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});

/**
 * The UI bench drives a browser and its page-side code is typed against the DOM
 * (tsconfig.e2e.json), so it runs as its own process; its last stdout line is its result.
 */
function uiBench(args: string[]): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('./ui-bench.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`the ui bench exited with ${code}`));
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`the ui bench printed no result: ${last.slice(0, 200)}`));
      }
    });
  });
}

const segments = Number(values.segments.replace(/_/gu, ''));
const seed = Number(values.seed);
const which = positionals[0];
let result: Record<string, unknown>;
switch (which) {
  case 'ingest':
    result = await ingestBench({
      engine: values.engine,
      shards: Number(values.shards),
      segments,
      seed,
      keep: values.keep,
      runs: Number(values.runs ?? (segments <= 2_000_000 ? 3 : 1)),
      url: values.url,
      partitions: values.partitions ? Number(values.partitions) : undefined,
      fsyncCompare: values['fsync-compare'],
    });
    break;
  case 'query':
    result = await queryBench({ engine: values.engine, shards: Number(values.shards), segments, seed, samples: Number(values.samples), rebuild: values.rebuild, url: values.url });
    break;
  case 'pragmas':
    result = await pragmasBench({ segments, seed, samples: Number(values.samples), rebuild: values.rebuild });
    break;
  case 'import-nzb':
    result = await importNzbBench({ segments, seed, runs: Number(values.runs ?? 3) });
    break;
  case 'nzb-memory':
    // One file of 2M segments unless --segments says otherwise (the shared default is 1M).
    result = await nzbMemoryBench({
      segments: process.argv.includes('--segments') ? segments : 2_000_000,
      runs: Number(values.runs ?? 3),
      engine: values.engine === 'pglite' || values.engine === 'sharded' ? values.engine : 'sqlite',
    });
    break;
  case 'index':
    result = await indexBench({ mb: Number(values.mb), seed, runs: Number(values.runs ?? 3) });
    break;
  case 'reshard':
    result = await reshardBench({ shards: Number(values.shards), to: Number(values.to ?? 8), segments, seed, rebuild: values.rebuild });
    break;
  case 'migrate':
    result = await migrateBench({
      from: values.from,
      to: values.to ?? 'postgres',
      segments,
      seed,
      runs: Number(values.runs ?? (segments <= 2_000_000 ? 3 : 1)),
      vsPgloader: values['vs-pgloader'],
      rebuild: values.rebuild,
      shards: Number(values.shards),
      ...(values['batch-size'] ? { batchSize: Number(values['batch-size']) } : {}),
      ...(values['cpu-prof-dir'] ? { cpuProfDir: values['cpu-prof-dir'] } : {}),
      bundled: values.bundled,
      traceStatements: values['trace-statements'],
    });
    break;
  case 'ipc':
    result = await ipcBench({ samples: Number(values.samples) });
    break;
  case 'import-stalls':
    // Seed 6: the NZB the ipc bench imports.
    result = await importStallsBench({ segments, seed: 6 });
    break;
  case 'pg-start':
    result = await pgStartBench({ runs: Number(values.runs ?? 3) });
    break;
  case 'pg-partitions':
    result = await pgPartitionsBench({
      segments,
      seed,
      samples: Number(values.samples),
      counts: values.counts.split(',').map(Number),
      url: values.url,
    });
    break;
  case 'cli':
    result = cliStartBench({ runs: Number(values.runs ?? 9) });
    break;
  case 'insert-shapes':
    result = insertShapesBench({ segments, seed, runs: Number(values.runs ?? 3) });
    break;
  case 'ui':
    result = await uiBench([
      '--files',
      values.files,
      '--catalog',
      await uiFilesCatalog(Number(values.files.replace(/_/gu, '')), seed, values.rebuild),
      '--phases',
      values.phases,
      '--move-window-s',
      values['move-window-s'],
      ...(values['trace-dir'] ? ['--trace-dir', path.resolve(values['trace-dir'])] : []),
      ...(values.profile ? ['--profile'] : []),
    ]);
    break;
  default:
    process.stderr.write('usage: npm run bench -- <cli|ingest|query|reshard|migrate|pragmas|insert-shapes|import-nzb|nzb-memory|index|ipc|import-stalls|pg-start|pg-partitions|ui> [--engine sqlite|sharded|pglite|postgres] [--segments N] [--seed S] [--url U] [--partitions P] [--counts 1,4,8] [--phases paint,scroll,move,control]\n');
    process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
