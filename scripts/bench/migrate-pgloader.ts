/**
 * pgloader, the reference the migration benchmark compares against: Debian's package
 * (installed with apt-get when absent), loading the same seven catalog tables from the same
 * SQLite file into a fresh database on the same portable server, with its defaults for a
 * SQLite source (create tables, indexes and foreign keys, reset sequences). It logs in with
 * the server's generated password over loopback like any other client. It does not verify.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { TABLES } from '../../electron/db/store';
import { log, round } from './bench-utils';
import { PeakRssSampler, type PeakRss } from './migrate-peak-rss';

export interface PgloaderRun {
  /** From starting pgloader to its exit (its start-up is about 0.2 s). */
  wallMs: number;
  /** Its summary's "Total import time": a sum over its steps, some of which overlap, so not a wall time. */
  summaryMs: number | null;
  rows: number;
  peak: PeakRss;
  version: string;
}

function pgloaderVersion(): string | null {
  const probe = spawnSync('pgloader', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return null;
  return /pgloader version "?([^"\s]+)/u.exec(probe.stdout)?.[1] ?? probe.stdout.trim().split('\n')[0] ?? 'unknown';
}

/** The installed pgloader's version, installing Debian's package first when it is missing. */
export function ensurePgloader(): string {
  const installed = pgloaderVersion();
  if (installed) return installed;
  log('pgloader is not installed; installing Debian’s package (apt-get update, apt-get install pgloader)…');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'pgloader']]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${run.status}); install pgloader and run again.`);
  }
  const version = pgloaderVersion();
  if (!version) throw new Error('pgloader is still not runnable after apt-get install.');
  return version;
}

/** A pgloader command file: the catalog's tables only (not FTS5's shadow tables or schema_version). */
function loadCommand(sqliteFile: string, databaseUrl: string): string {
  const tables = TABLES.map((t) => `'${t}'`).join(', ');
  return `LOAD DATABASE
  FROM sqlite://${sqliteFile}
  INTO ${databaseUrl}
  INCLUDING ONLY TABLE NAMES LIKE ${tables};
`;
}

/** Seconds of the summary's "Total import time" line (pgloader prints it last). */
function totalImportMs(output: string): number | null {
  const line = output.split('\n').find((l) => l.includes('Total import time'));
  const seconds = line ? /([\d.]+)s\s*$/u.exec(line.trim())?.[1] : undefined;
  return seconds === undefined ? null : Number(seconds) * 1000;
}

async function countRows(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let rows = 0;
    for (const table of TABLES) {
      const { rows: r } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      rows += Number(r[0]?.n ?? 0);
    }
    return rows;
  } finally {
    await client.end();
  }
}

export async function runPgloader(sqliteFile: string, databaseUrl: string, workDir: string, version: string): Promise<PgloaderRun> {
  fs.mkdirSync(workDir, { recursive: true });
  const commandFile = path.join(workDir, 'migrate.load');
  // The file holds the password; it lives in the bench's private scratch folder and goes with it.
  fs.writeFileSync(commandFile, loadCommand(sqliteFile, databaseUrl), { mode: 0o600 });
  const started = performance.now();
  const child = spawn('pgloader', ['--root-dir', workDir, '--logfile', path.join(workDir, 'pgloader.log'), commandFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const sampler = new PeakRssSampler(child.pid as number);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const peak = sampler.stop();
  fs.writeFileSync(path.join(workDir, 'pgloader.out'), output);
  if (code !== 0) throw new Error(`pgloader exited with ${code}:\n${output.slice(-3000)}`);
  const rows = await countRows(databaseUrl);
  const summaryMs = totalImportMs(output);
  return { wallMs: round(wallMs), summaryMs: summaryMs === null ? null : round(summaryMs), rows, peak, version };
}
