/**
 * Runs the real `strata` command in a child process for the kill tests: optionally SIGKILLed
 * after a delay or when a progress line matches, and reports how it ended, its stdout (the
 * JSON result) and the progress lines it wrote on stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const STRATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'strata.js');

export interface CliRun {
  code: number | null;
  /** True when the process ended by SIGKILL (ours or its own crash point). */
  killed: boolean;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface CliRunOptions {
  env?: Record<string, string>;
  /** SIGKILL the process this long after it started. */
  killAfterMs?: number;
  /** SIGKILL the process when a stderr line satisfies this (checked line by line). */
  killWhen?: (line: string) => boolean;
}

export function runCli(args: string[], options: CliRunOptions = {}): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [STRATA, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  let pending = '';
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const timer = options.killAfterMs === undefined ? null : setTimeout(kill, options.killAfterMs);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr += text;
    if (!options.killWhen) return;
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (lines.some(options.killWhen)) kill();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, killed: signal === 'SIGKILL', stdout, stderr, elapsedMs: performance.now() - started });
    });
  });
}

/** The one JSON object a `--json` command printed on stdout. */
export function jsonResult<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`expected one JSON result, got exit ${String(run.code)}: ${run.stdout.slice(0, 500)} / ${run.stderr.slice(-1000)}`);
  }
}
