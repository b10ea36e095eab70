/**
 * `Strata --smoke-test <dir>`: the installed or portable app proves itself on a build machine.
 * Main opens the window as usual, on the data folder `<dir>/data`, and runs these steps over a
 * port to the real database process: the library shown by the renderer, a bundled NZB
 * imported, the catalog moved to sharded SQLite and then to PGlite with the counts unchanged
 * at each stop. The report goes to `<dir>/smoke-report.json` and the exit code names the first
 * step that failed (0 when none did). Everything here but the Electron calls is plain code,
 * tested under Node against a real database manager.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StrataClient } from '../../shared/ipc/client';
import { NZB_EPILOGUE, NZB_PROLOGUE, nzbFile, nzbHead } from '../db/ingest/nzb/nzb-writer';

export const SMOKE_STEPS = ['library shown', 'import', 'move to sharded', 'move to pglite'] as const;
export type SmokeStep = (typeof SMOKE_STEPS)[number];

export interface SmokeStepResult {
  step: SmokeStep;
  ok: boolean;
  ms: number;
  /** What the step saw (counts, the engine), or the error's message when it failed. */
  detail: string;
}

export interface SmokeReport {
  ok: boolean;
  failedStep: SmokeStep | null;
  steps: SmokeStepResult[];
  startedAt: string;
  elapsedMs: number;
}

export interface SmokePaths {
  dataDir: string;
  report: string;
}

/** The folder after `--smoke-test` (or `--smoke-test=<dir>`), resolved against `cwd`; null when absent. */
export function smokeTestDir(argv: readonly string[], cwd: string): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--smoke-test=')) return path.resolve(cwd, arg.slice('--smoke-test='.length));
    if (arg === '--smoke-test') {
      const next = argv[i + 1];
      if (!next || next.startsWith('--')) throw new Error('--smoke-test needs a folder for its data and report: Strata --smoke-test <dir>');
      return path.resolve(cwd, next);
    }
  }
  return null;
}

export function smokePaths(dir: string): SmokePaths {
  return { dataDir: path.join(dir, 'data'), report: path.join(dir, 'smoke-report.json') };
}

/**
 * The NZB the smoke test imports, written by the app's own NZB writer: three files of twenty
 * segments whose names and message-ids carry `stamp`, so a second run on the same folder
 * imports rather than finding a duplicate. The app ships no fixture for it.
 */
export function writeSmokeNzb(dir: string, stamp: number): string {
  const file = path.join(dir, `smoke-${stamp}.nzb`);
  const files = ['smoke.part1.rar', 'smoke.part2.rar', 'smoke.par2'].map((name, f) =>
    nzbFile({
      subject: `"${stamp}-${name}" yEnc (1/20)`,
      poster: 'Strata smoke test <smoke@strata.invalid>',
      date: Math.floor(stamp / 1000),
      groups: ['alt.binaries.test'],
      segments: Array.from({ length: 20 }, (_, i) => ({ number: i + 1, bytes: 768_000, messageId: `smoke.${stamp}.${f}.${i + 1}@strata.invalid` })),
    }),
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, NZB_PROLOGUE + nzbHead({ meta: { title: ['Strata smoke test'] } }) + files.join('') + NZB_EPILOGUE);
  return file;
}

/** 0 when every step passed, else 10 plus the failed step's position (10 = the library never showed). */
export function smokeExitCode(report: SmokeReport): number {
  return report.failedStep === null ? 0 : 10 + SMOKE_STEPS.indexOf(report.failedStep);
}

interface Counts {
  engine: string;
  files: number;
  segments: number;
}

const countsOf = async (client: StrataClient): Promise<Counts> => {
  const s = await client.call('catalog/stats', {});
  return { engine: s.engine, files: s.files, segments: s.segments };
};

const describeCounts = (c: Counts): string => `${c.engine}: ${c.files} files, ${c.segments} segments`;

/**
 * Runs the steps in order and stops at the first that fails; never throws (a failure is in the
 * report). `libraryShown` resolves when the renderer shows the library, or rejects saying why not.
 */
export async function runSmokeTest(client: StrataClient, fixture: string, libraryShown: () => Promise<void>): Promise<SmokeReport> {
  const started = Date.now();
  const steps: SmokeStepResult[] = [];
  let imported: Counts | null = null;

  const moveTo = async (engine: 'sharded' | 'pglite'): Promise<string> => {
    await client.call('migration/start', { to: engine });
    const now = await countsOf(client);
    if (now.engine !== engine) throw new Error(`the catalog is on ${now.engine} after the move, not ${engine}`);
    if (now.files !== imported!.files || now.segments !== imported!.segments) throw new Error(`the counts changed in the move: ${describeCounts(imported!)} before, ${describeCounts(now)} after`);
    return describeCounts(now);
  };

  const run: Record<SmokeStep, () => Promise<string>> = {
    'library shown': async () => {
      await libraryShown();
      return 'the renderer shows the library';
    },
    import: async () => {
      const collection = await client.call('collections/create', { name: `Smoke test ${new Date(started).toISOString()}`, source: 'nzb' });
      const result = await client.call('nzb/import', { collectionId: collection.id, paths: [fixture] });
      if (result.imported !== 1) throw new Error(`${path.basename(fixture)} did not import: ${result.results.map((r) => r.error?.message ?? r.status).join('; ')}`);
      imported = await countsOf(client);
      if (imported.segments === 0) throw new Error('the import added no segments');
      return describeCounts(imported);
    },
    'move to sharded': () => moveTo('sharded'),
    'move to pglite': () => moveTo('pglite'),
  };

  for (const step of SMOKE_STEPS) {
    const at = Date.now();
    try {
      steps.push({ step, ok: true, detail: await run[step](), ms: Date.now() - at });
    } catch (error) {
      steps.push({ step, ok: false, detail: error instanceof Error ? error.message : String(error), ms: Date.now() - at });
      break;
    }
  }
  const failed = steps.find((s) => !s.ok);
  return { ok: !failed, failedStep: failed?.step ?? null, steps, startedAt: new Date(started).toISOString(), elapsedMs: Date.now() - started };
}
