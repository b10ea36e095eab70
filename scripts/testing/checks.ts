/**
 * `npm run checks`: the type checks and the lint that `npm test` starts with, two at a time.
 * Each is one single-threaded process (tsc per config, ESLint with type information), so on
 * the two cores `npm test` is written for, running them side by side saves the shorter lane
 * (about a minute) without changing what is checked. Each command's output is printed whole
 * when it ends, never interleaved; the run fails, naming the commands that failed, if any did.
 * `npm run typecheck` and `npm run lint` run the same list, narrowed by name (`checks.ts lint`).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

export interface Check {
  name: string;
  args: string[];
}

/** Longest first, so the lanes end together: the lint alone outlasts the four type checks. */
export const CHECKS: Check[] = [
  { name: 'lint', args: [ESLINT, '--max-warnings', '0', '.'] },
  { name: 'typecheck node', args: [TSC, '-p', 'tsconfig.node.json', '--noEmit'] },
  { name: 'typecheck web', args: [TSC, '-p', 'tsconfig.web.json', '--noEmit'] },
  { name: 'typecheck e2e', args: [TSC, '-p', 'tsconfig.e2e.json', '--noEmit'] },
  { name: 'typecheck preload', args: [TSC, '-p', 'tsconfig.preload.json', '--noEmit'] },
];

interface Outcome {
  name: string;
  code: number | null;
  output: string;
  ms: number;
}

function runOne(check: Check): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, check.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('error', (error) => resolve({ name: check.name, code: 1, output: `${output}${error.message}\n`, ms: Date.now() - started }));
    child.once('close', (code) => resolve({ name: check.name, code, output, ms: Date.now() - started }));
  });
}

/** Runs the checks `lanes` at a time, in order, reporting each as it ends. */
export async function runChecks(checks: Check[], lanes: number, report: (o: Outcome) => void): Promise<Outcome[]> {
  const queue = [...checks];
  const done: Outcome[] = [];
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const outcome = await runOne(next);
      report(outcome);
      done.push(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  return done;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const lanes = Math.min(2, Math.max(1, os.availableParallelism()));
  const wanted = process.argv.slice(2);
  const chosen = wanted.length === 0 ? CHECKS : CHECKS.filter((c) => wanted.some((w) => c.name.startsWith(w)));
  if (chosen.length === 0) {
    process.stderr.write(`No check is named ${wanted.join(' or ')}; the checks are: ${CHECKS.map((c) => c.name).join(', ')}.\n`);
    process.exit(2);
  }
  const outcomes = await runChecks(chosen, lanes, (o) => {
    process.stdout.write(`${o.code === 0 ? 'ok' : 'FAILED'}  ${o.name} (${(o.ms / 1000).toFixed(1)} s)\n`);
    if (o.output.trim() !== '') process.stdout.write(`${o.output.trimEnd()}\n`);
  });
  const failed = outcomes.filter((o) => o.code !== 0).map((o) => o.name);
  if (failed.length > 0) {
    process.stderr.write(`\nChecks failed: ${failed.join(', ')}. Fix what is printed above them, then run npm test again.\n`);
    process.exitCode = 1;
  }
}
