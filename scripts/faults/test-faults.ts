/**
 * `npm run test:faults [-- --long]`: the fault tests on their own. Kills of real processes at
 * every journal state and at random moments, damaged and missing files, full disks, hostile
 * input, a dying database process. The long mode (STRATA_FAULTS_LONG=1) runs hundreds of kill
 * trials instead of a few; STRATA_KILL_TRIALS=<n> sets the random trials per case exactly.
 * Each kill test appends what it measured to out/fault-figures.jsonl; the summary printed at
 * the end is what docs/reliability.md quotes; `-- --summary` prints it again from the report.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FaultFigure, FuzzFigure } from '../../electron/db/faults/kill-trials';

/** The fault tests, by what they break. Other fault tests join this list. */
export const FAULT_TESTS = [
  // SIGKILL of real processes
  'electron/db/engines/sqlite/faults.test.ts',
  'electron/db/engines/sharded/sharded-faults.test.ts',
  'electron/db/migration/migrate-kill-sweep.test.ts',
  'electron/db/migration/migrate-data-folder.test.ts',
  'electron/db/ingest/folder/index-folder-kill.test.ts',
  'electron/db/ingest/nzb/nzb-import-kill.test.ts',
  'electron/db/engines/postgres/portable-store.test.ts',
  'electron/db/portable-server/lifecycle.test.ts',
  'electron/db/portable-server/extract-binaries.test.ts',
  'electron/db/ipc/ipc.test.ts',
  // damaged, foreign and changing files
  'electron/db/manager/check-repair.test.ts',
  'electron/db/engines/sqlite/open-database.test.ts',
  'electron/db/ingest/folder/index-folder.test.ts',
  // hostile input
  'electron/db/ingest/nzb/nzb-hostile.test.ts',
  'electron/db/ipc/host-fuzz.test.ts',
];

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function summarise(file: string): string {
  if (!fs.existsSync(file)) return 'No kill figures were recorded.';
  const all = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as FaultFigure | FuzzFigure);
  const fuzz = all.filter((f): f is FuzzFigure => 'inputs' in f);
  const figures = all.filter((f): f is FaultFigure => !('inputs' in f));
  const bySuite = new Map<string, FaultFigure[]>();
  for (const f of figures) bySuite.set(f.suite, [...(bySuite.get(f.suite) ?? []), f]);
  const lines = ['suite | cases | trials | killed | finished before the kill | ok | minutes', '---|---|---|---|---|---|---'];
  for (const [suite, list] of bySuite) {
    const sum = (k: keyof FaultFigure): number => list.reduce((n, f) => n + Number(f[k]), 0);
    lines.push(`${suite} | ${list.length} | ${sum('trials')} | ${sum('killed')} | ${sum('finishedFirst')} | ${sum('ok')} | ${(sum('elapsedMs') / 60_000).toFixed(1)}`);
  }
  const total = figures.reduce((n, f) => n + f.killed, 0);
  lines.push('', `${total} processes killed in ${figures.length} recorded cases.`);
  for (const f of fuzz) lines.push(`Fuzz, ${f.case}: ${f.inputs.toLocaleString('en-US')} generated inputs in ${(f.elapsedMs / 1000).toFixed(0)} s, none broke the host.`);
  return lines.join('\n');
}

const long = process.argv.includes('--long');
const rest = process.argv.slice(2).filter((a) => a !== '--long' && a !== '--summary');
const report = path.join(ROOT, 'out', 'fault-figures.jsonl');
if (process.argv.includes('--summary')) {
  // The table of the figures already recorded (a long run, and any file run again into the
  // same report with STRATA_FAULT_REPORT), without running anything.
  process.stdout.write(`${summarise(report)}\n`);
  process.exit(0);
}
fs.mkdirSync(path.dirname(report), { recursive: true });
fs.rmSync(report, { force: true });
const started = Date.now();
const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...FAULT_TESTS, ...rest], {
  cwd: ROOT,
  stdio: 'inherit',
  env: {
    ...process.env,
    STRATA_FAULT_REPORT: report,
    ...(long ? { STRATA_FAULTS_LONG: '1' } : {}),
  },
});
process.stdout.write(`\n${long ? 'Long' : 'Normal'} fault run, ${((Date.now() - started) / 60_000).toFixed(1)} min:\n${summarise(report)}\n`);
process.exitCode = run.status ?? 1;
