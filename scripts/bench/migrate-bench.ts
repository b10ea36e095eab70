/**
 * `npm run bench -- migrate --from sqlite --to postgres --segments N [--vs-pgloader] [--runs R]`:
 * migrates the cached generated catalog with Strata's engine (copy, indexes, verification:
 * everything before a switch) in a child process, and with pgloader from the same SQLite file,
 * each into a fresh database on one portable server started for the run. Runs alternate which
 * side goes first; the medians are reported. Peak memory is measured from outside for both
 * (migrate-peak-rss.ts), and Strata's child reports its own maxRSS too.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestServer } from '../../electron/db/portable-server/test-server-setup';
import { startTestServer } from '../../electron/db/portable-server/test-server-setup';
import { CATALOG_FILE } from '../../electron/db/open-store';
import { benchCatalog } from './bench-catalog';
import { log, round, tempDir } from './bench-utils';
import { PeakRssSampler, type PeakRss } from './migrate-peak-rss';
import { ensurePgloader, runPgloader, type PgloaderRun } from './migrate-pgloader';
import { createBenchDatabase, dropBenchDatabase } from './pg-bench-target';
import { build } from 'esbuild';
import { ESM_REQUIRE_BANNER, NODE_BUNDLE } from '../esbuild-node';
import { freshRunFolder } from '../testing/run-folder';
import { cpuDelta, postmasterPid, serverCpuByKind, treeCpuMs } from './cpu-time';
import { readStatementTrace, type StatementRow } from './pg-statement-trace';

export interface MigrateBenchOptions {
  from: string;
  to: string;
  segments: number;
  seed: number;
  runs: number;
  vsPgloader: boolean;
  rebuild: boolean;
  shards: number;
  batchSize?: number;
  /** Writes a V8 CPU profile of each Strata run into this folder. */
  cpuProfDir?: string;
  /**
   * Runs Strata's side as bundled JavaScript under plain Node, as the app runs its database
   * process (esbuild, the build's settings), instead of from sources under tsx, whose loader
   * and esbuild service account for about 135 MB of a migrating process's peak.
   */
  bundled?: boolean;
  /** Times every server statement of Strata's runs, with its backend's CPU (pg-statement-trace.ts). */
  traceStatements?: boolean;
}

interface StrataRun {
  result: Record<string, unknown> & { rows: number; total_ms: number; elapsed_ms: number; verified: boolean; peak_rss_mb: number };
  wallMs: number;
  peak: PeakRss;
  serverCpuMs: number;
  serverCpuByKind?: Record<string, number>;
  statements?: StatementRow[];
}

const PHASE_SCRIPT = path.resolve(import.meta.dirname, 'migrate-phase.ts');

/** The phase script bundled like the app's database process, in a folder of this run's own inside the checkout (so the native modules left out resolve from its node_modules). */
async function bundlePhase(): Promise<{ script: string; dispose: () => void }> {
  const dir = freshRunFolder(path.resolve(import.meta.dirname, '..', '..', 'out', 'bench-migrate'));
  await build({ ...NODE_BUNDLE, sourcemap: false, entryPoints: [PHASE_SCRIPT], outfile: path.join(dir, 'migrate-phase.mjs'), format: 'esm', banner: ESM_REQUIRE_BANNER });
  return { script: path.join(dir, 'migrate-phase.mjs'), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

async function runStrata(opts: MigrateBenchOptions, sourceDir: string, work: string, url: string | null, bundle: string | null): Promise<StrataRun> {
  fs.mkdirSync(work, { recursive: true });
  const node = [...(bundle ? [] : ['--import', 'tsx']), ...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [])];
  const args = [bundle ?? PHASE_SCRIPT, '--source', sourceDir, '--from', opts.from, '--to', opts.to, '--work', work, '--shards', String(opts.shards)];
  if (url) args.push('--url', url);
  if (opts.batchSize) args.push('--batch-size', String(opts.batchSize));
  const traceFile = path.join(work, 'statements.json');
  if (opts.traceStatements) args.push('--trace-statements', traceFile);
  const started = performance.now();
  const child = spawn(process.execPath, [...node, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const sampler = new PeakRssSampler(child.pid as number);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const peak = sampler.stop();
  if (code !== 0) throw new Error(`the Strata migration exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as StrataRun['result'];
  return { result, wallMs: round(wallMs), peak, serverCpuMs: 0, ...(opts.traceStatements ? { statements: readStatementTrace(traceFile) } : {}) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
};

const loadAverage = (): number[] => os.loadavg().map((v) => round(v, 2));

export async function migrateBench(opts: MigrateBenchOptions): Promise<Record<string, unknown>> {
  if (opts.from !== 'sqlite' && opts.from !== 'sharded') throw new Error('--from is sqlite or sharded (the generated catalog is built on one of them).');
  if (opts.vsPgloader && (opts.from !== 'sqlite' || opts.to !== 'postgres')) throw new Error('--vs-pgloader compares sqlite -> postgres only.');
  const pgloaderVersion = opts.vsPgloader ? ensurePgloader() : null;
  const cached = await benchCatalog(opts.segments, opts.seed, opts.rebuild, { engine: opts.from, shards: opts.shards });
  const scratch = tempDir('migrate');
  let server: TestServer | null = null;
  const bundle = opts.bundled ? await bundlePhase() : null;
  const loadBefore = loadAverage();
  try {
    if (opts.to === 'postgres') {
      log('starting the portable PostgreSQL server…');
      // Its own temporary folder: the server's account must be able to enter every parent of it.
      server = await startTestServer();
    }
    const adminUrl = server?.server.connectionString ?? null;
    // The server's CPU over each side's run: its postmaster with every backend it ran (cpu-time.ts).
    const postmaster = server ? postmasterPid(server.dataDir) : null;
    const serverCpu = (): number => (postmaster ? treeCpuMs(postmaster) : 0);
    const strataRuns: StrataRun[] = [];
    const pgloaderRuns: PgloaderRun[] = [];
    const pgloaderServerCpu: number[] = [];
    for (let run = 0; run < opts.runs; run++) {
      const sides = ['strata', 'pgloader'].filter((s) => s === 'strata' || opts.vsPgloader);
      if (run % 2 === 1) sides.reverse();
      for (const side of sides) {
        const name = `strata_bench_${side}_${run}`;
        const url = adminUrl ? await createBenchDatabase(adminUrl, name) : null;
        const work = path.join(scratch, `${side}-${run}`);
        try {
          if (side === 'strata') {
            log(`run ${run + 1}/${opts.runs}: Strata ${opts.from} -> ${opts.to}…`);
            const cpuBefore = serverCpu();
            const kindsBefore = postmaster ? serverCpuByKind(postmaster) : {};
            const r = await runStrata(opts, cached, work, url, bundle?.script ?? null);
            r.serverCpuMs = Math.round(serverCpu() - cpuBefore);
            if (postmaster) r.serverCpuByKind = cpuDelta(serverCpuByKind(postmaster), kindsBefore);
            strataRuns.push(r);
            log(`  ${r.result.rows.toLocaleString()} rows in ${r.result.total_ms} ms, verified ${r.result.verified}, peak RSS ${r.result.peak_rss_mb} MB (process tree ${r.peak.treeMb} MB)`);
          } else {
            log(`run ${run + 1}/${opts.runs}: pgloader…`);
            const cpuBefore = serverCpu();
            const r = await runPgloader(path.join(cached, CATALOG_FILE), url as string, work, pgloaderVersion as string);
            pgloaderServerCpu.push(Math.round(serverCpu() - cpuBefore));
            pgloaderRuns.push(r);
            log(`  ${r.rows.toLocaleString()} rows in ${r.wallMs} ms (its summary: ${r.summaryMs} ms), peak RSS ${r.peak.peakMb} MB`);
          }
        } finally {
          if (adminUrl) await dropBenchDatabase(adminUrl, name);
          fs.rmSync(work, { recursive: true, force: true });
        }
      }
    }
    const rows = strataRuns[0]?.result.rows ?? 0;
    const rates = strataRuns.map((r) => round((r.result.rows / r.result.total_ms) * 1000));
    const rate = median(rates);
    const typical = strataRuns[rates.indexOf(rate)] as StrataRun;
    const out: Record<string, unknown> = {
      bench: 'migrate',
      ...(opts.bundled ? { bundled: true } : {}),
      from: opts.from,
      to: opts.to,
      segments: opts.segments,
      rows,
      rows_per_s: rate,
      total_ms: typical.result.total_ms,
      open_ms: typical.result.open_ms,
      copy_ms: typical.result.copy_ms,
      index_ms: typical.result.index_ms,
      verify_ms: typical.result.verify_ms,
      verified: strataRuns.every((r) => r.result.verified),
      // The migrating process itself (worker threads included): its own maxRSS and its kernel
      // high-water mark. From sources, tsx also runs an esbuild service beside it, which the
      // app (bundled JavaScript) does not have; the whole tree is reported apart.
      peak_rss_mb: Math.max(...strataRuns.map((r) => Math.max(r.peak.largestProcessMb, r.result.peak_rss_mb))),
      tree_peak_rss_mb: Math.max(...strataRuns.map((r) => r.peak.treeMb)),
      peak_heap_mb: Math.max(...strataRuns.map((r) => r.result.peak_heap_mb as number)),
      // CPU spent, which the machine's load barely changes (wall times it stretches 2-10x here):
      // the migrating process tree, and the PostgreSQL server while it ran.
      cpu_ms: median(strataRuns.map((r) => r.peak.cpuMs)),
      server_cpu_ms: median(strataRuns.map((r) => r.serverCpuMs)),
      ...(typical.serverCpuByKind ? { server_cpu_by_kind: typical.serverCpuByKind } : {}),
    };
    if (typical.statements) {
      // The typical run's statements, most server CPU first; the rest summed in one line.
      const top = typical.statements.slice(0, 25);
      const rest = typical.statements.slice(25);
      out.statements = [...top, { statement: `(${rest.length} other kinds)`, calls: rest.reduce((a, r) => a + r.calls, 0), wall_ms: rest.reduce((a, r) => a + r.wall_ms, 0), cpu_ms: rest.reduce((a, r) => a + r.cpu_ms, 0) }];
      out.statements_cpu_ms = typical.statements.reduce((a, r) => a + r.cpu_ms, 0);
    }
    if (pgloaderRuns.length > 0) {
      const pgRates = pgloaderRuns.map((r) => round((rows / r.wallMs) * 1000));
      const pgRate = median(pgRates);
      const pgTypical = pgloaderRuns[pgRates.indexOf(pgRate)] as PgloaderRun;
      const wallRatio = median(strataRuns.map((s, i) => (pgloaderRuns[i]?.wallMs ?? Number.NaN) / s.wallMs));
      Object.assign(out, {
        pgloader_rows_per_s: pgRate,
        ratio_vs_pgloader: round(rate / pgRate, 3),
        pgloader_peak_rss_mb: Math.max(...pgloaderRuns.map((r) => r.peak.peakMb)),
        pgloader_ms: pgTypical.wallMs,
        pgloader_summary_ms: pgTypical.summaryMs,
        pgloader_rows_loaded: pgTypical.rows,
        pgloader_version: pgloaderVersion,
        wall_ratio_vs_pgloader: round(wallRatio, 3),
        pgloader_rows_per_s_runs: pgRates,
        pgloader_cpu_ms: median(pgloaderRuns.map((r) => r.peak.cpuMs)),
        pgloader_server_cpu_ms: median(pgloaderServerCpu),
        // Total CPU (client + server) pgloader needed over what Strata needed, per run, median.
        cpu_ratio_vs_pgloader: round(
          median(strataRuns.map((s, i) => ((pgloaderRuns[i]?.peak.cpuMs ?? Number.NaN) + (pgloaderServerCpu[i] ?? Number.NaN)) / (s.peak.cpuMs + s.serverCpuMs))),
          3,
        ),
      });
    }
    Object.assign(out, {
      runs: opts.runs,
      rows_per_s_runs: rates,
      wall_ms_runs: strataRuns.map((r) => r.wallMs),
      load_avg_before: loadBefore,
      load_avg_after: loadAverage(),
    });
    return out;
  } finally {
    await server?.dispose();
    bundle?.dispose();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
