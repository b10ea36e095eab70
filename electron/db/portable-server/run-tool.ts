/** Runs one PostgreSQL program to completion (initdb, pg_ctl) as the server's account. */
import { spawn } from 'node:child_process';
import type { ServerUser } from './server-user';

export interface ToolResult {
  code: number | null;
  output: string;
}

/** The environment PostgreSQL programs see: no PG* variables of the user's leak in. */
export function serverEnv(user: ServerUser | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('PG')) env[key] = value;
  // Messages in English whatever the desktop's language, so they can be recognised.
  env.LC_ALL = 'C';
  env.LANG = 'C';
  if (user) {
    // HOME of root is not readable by the server account.
    env.HOME = '/';
    env.USER = user.name;
    env.LOGNAME = user.name;
  }
  return env;
}

export function runTool(bin: string, args: string[], user: ServerUser | null, timeoutMs = 120_000): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      env: serverEnv(user),
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      // cwd must be readable by the server account; / always is.
      cwd: user ? '/' : undefined,
      timeout: timeoutMs,
    });
    let output = '';
    const collect = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-16_000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
