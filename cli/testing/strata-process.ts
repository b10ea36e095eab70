/** Test helpers: the real `bin/strata.js` as child processes, watched line by line. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

// STRATA_TEST_BIN runs the same tests against another checkout's CLI (to show a test fails
// on the code before a fix).
const BIN = path.resolve(process.env.STRATA_TEST_BIN ?? 'bin/strata.js');

export interface RunningStrata {
  child: ChildProcess;
  stdout(): string;
  /** Resolves with the first stderr line that matches (progress lines are JSON with --json). */
  waitForStderr(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  waitForStdout(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function lineWatcher(stream: NodeJS.ReadableStream | null): { text: () => string; wait: RunningStrata['waitForStderr'] } {
  let text = '';
  let partial = '';
  const lines: string[] = [];
  const waiters = new Set<{ match: (line: string) => boolean; resolve: (line: string) => void }>();
  stream?.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
    partial += chunk.toString('utf8');
    let newline = partial.indexOf('\n');
    while (newline >= 0) {
      const line = partial.slice(0, newline);
      partial = partial.slice(newline + 1);
      newline = partial.indexOf('\n');
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.match(line)) {
          waiters.delete(w);
          w.resolve(line);
        }
      }
    }
  });
  return {
    text: () => text,
    wait: (match, timeoutMs = 200_000) =>
      new Promise((resolve, reject) => {
        const seen = lines.find(match);
        if (seen !== undefined) {
          resolve(seen);
          return;
        }
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching line within ${timeoutMs} ms; got:\n${text.slice(-2000)}`));
        }, timeoutMs);
        const waiter = {
          match,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        waiters.add(waiter);
      }),
  };
}

export function startStrata(...args: string[]): RunningStrata {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, STRATA_DATA_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = lineWatcher(child.stdout);
  const err = lineWatcher(child.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout: out.text(), stderr: err.text() }));
  });
  return { child, stdout: out.text, waitForStderr: err.wait, waitForStdout: out.wait, exited };
}

export async function strata(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startStrata(...args).exited;
}

/** The last JSON line a command printed (its result, or its error with --json). */
export function lastJson(text: string): Record<string, unknown> {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as Record<string, unknown>;
}

/** A --json progress line of the given phase. */
export const progressIn =
  (phase: string) =>
  (line: string): boolean => {
    try {
      return (JSON.parse(line) as { progress?: { phase?: unknown } }).progress?.phase === phase;
    } catch {
      return false;
    }
  };

/**
 * Freezes a running job mid-way (SIGSTOP) while other processes start and connect, then lets
 * it go on (SIGCONT): the second process reliably arrives in the middle of the job however
 * slowly it starts on a loaded machine. `connected` resolves when the newcomers are ready.
 */
export async function whileFrozen<T>(job: RunningStrata, start: () => T, connected: (started: T) => Promise<unknown>): Promise<T> {
  job.child.kill('SIGSTOP');
  try {
    const started = start();
    await connected(started);
    return started;
  } finally {
    job.child.kill('SIGCONT');
  }
}

/**
 * Waits until a process has opened a socket (read from /proc on Linux: its connection to the
 * owner's endpoint; a process that opened the store itself never opens one). Answers whether
 * it saw one; false after the timeout, or where there is no /proc.
 */
export async function untilSocketOpen(pid: number | undefined, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const fdDir = `/proc/${pid ?? 0}/fd`;
  while (Date.now() < deadline) {
    try {
      if (fs.readdirSync(fdDir).some((fd) => fs.readlinkSync(path.join(fdDir, fd)).startsWith('socket:'))) return true;
    } catch {
      // The process ended, or this system has no /proc.
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * The real bin on a terminal (a pseudo-terminal made by util-linux `script`), for what only a
 * terminal gets: the questions of destructive commands. `answer` is typed once the question is
 * on the screen. Linux only (the tests that use it skip elsewhere).
 */
export async function strataOnTerminal(args: string[], answer: string, timeoutMs = 120_000): Promise<{ code: number | null; screen: string }> {
  const line = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/gu, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qec', line, '/dev/null'], { env: { ...process.env, STRATA_DATA_DIR: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const screen = lineWatcher(child.stdout);
  let answered = false;
  child.stdout.on('data', () => {
    if (!answered && /\[y\/N\] /u.test(screen.text())) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  clearTimeout(timer);
  child.stdin.destroy();
  return { code, screen: screen.text() };
}
