/**
 * Starting and stopping the postgres process.
 *
 * Strata spawns `postgres` itself rather than going through `pg_ctl start`: the app then holds
 * the process handle, so an unexpected exit is an event at once (no polling), and what the
 * server prints before its logging collector takes over (a port already taken, a lock file, a
 * full disk) arrives on a pipe the app reads, to turn into a precise error. Readiness is a real
 * login with the superuser's password, the thing the app is about to do anyway.
 * Stopping is a fast shutdown (SIGINT: open transactions are rolled back, a checkpoint is
 * written, then exit) and waiting for the exit. On Windows a "signal" from Node would be
 * TerminateProcess, so there `pg_ctl stop -m fast` delivers PostgreSQL's own emulated signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { StrataError } from '../../../shared/errors';
import { diskFullError, isDiskFull } from './disk-space';
import { executable, type PortableLayout } from './layout';
import { isAlive, waitForExit } from './postmaster-pid';
import { runTool, serverEnv } from './run-tool';
import type { ServerUser } from './server-user';
import { elevatedError, isAdminRefusal } from './windows-elevation';
import { SUPERUSER } from './superuser-password';

export type StartFailureKind = 'port-in-use' | 'shared-memory-busy' | 'other';

/** A start that failed in a way the caller may retry (another port, a moment later). */
export class StartFailure extends Error {
  constructor(
    readonly kind: StartFailureKind,
    readonly error: StrataError,
  ) {
    super(error.message);
  }
}

export interface LaunchOptions {
  layout: PortableLayout;
  user: ServerUser | null;
  port: number;
  password: string;
  timeoutMs: number;
}

export interface Launched {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function launch({ layout, user, port, password, timeoutMs }: LaunchOptions): Promise<Launched> {
  const child = spawn(executable(layout.binRoot, 'postgres'), ['-D', layout.pgData], {
    env: serverEnv(user),
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    cwd: user ? '/' : layout.pgData,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-16_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', (error) => {
      collect(Buffer.from(String(error)));
      exitInfo = { code: -1, signal: null };
      resolve(exitInfo);
    });
  });

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exitInfo) {
      // The exit event can come before the last of the pipe is read.
      await new Promise((r) => setTimeout(r, 50));
      throw classify(`${output}\n${logTail(layout.logDir)}`, port, layout);
    }
    const state = await tryLogin(port, password, layout.pgData);
    if (state === 'ready') return { child, exited };
    // A password refused by a server that then exits was some other server's refusal.
    if (state === 'auth-failed' && !(await settlesWithin(exited, 500))) {
      await stopChild(child, exited, layout, user, 30_000);
      throw new StrataError(
        'pg-start-failed',
        `The portable PostgreSQL server started but refused Strata's password (${layout.passwordFile} does not belong to this data folder). ` +
          'Restore the password file from a backup of the data folder, or set the server aside and let Strata create a new one.',
        { pgData: layout.pgData },
      );
    }
    if (Date.now() > deadline) {
      await stopChild(child, exited, layout, user, 30_000);
      throw new StrataError('pg-start-failed', `The portable PostgreSQL server did not accept connections within ${Math.round(timeoutMs / 1000)} s. Its log is below.`, {
        output: `${output}\n${logTail(layout.logDir)}`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const samePath = (a: string, b: string): boolean =>
  process.platform === 'win32' ? path.resolve(a).toLowerCase() === path.resolve(b).toLowerCase() : path.resolve(a) === path.resolve(b);

async function tryLogin(port: number, password: string, pgData: string): Promise<'ready' | 'not-yet' | 'auth-failed'> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres', connectionTimeoutMillis: 2000 });
  // A refused connection also emits 'error' on the client; without a listener it would throw.
  client.on('error', () => undefined);
  try {
    await client.connect();
    // Whoever answers on the port must be this data folder's server: if ours lost the race for
    // the port, another server may be listening there, and ours is about to exit.
    const { rows } = await client.query<{ dir: string }>("SELECT current_setting('data_directory') AS dir");
    return samePath(rows[0]?.dir ?? '', pgData) ? 'ready' : 'not-yet';
  } catch (error) {
    // 28P01: wrong password. 57P03 (starting up, recovering) and refused sockets: keep waiting.
    return (error as { code?: string }).code === '28P01' ? 'auth-failed' : 'not-yet';
  } finally {
    // end() waits for the peer to close; a program that is not PostgreSQL (holding the port
    // before the server could bind it) may never do so.
    await settlesWithin(client.end().catch(() => undefined), 1000);
    client.connection.stream.destroy();
  }
}

/** Whether `promise` settles within `ms`; the timer is cleared so it never holds the process open. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function classify(output: string, port: number, layout: PortableLayout): StartFailure {
  if (/could not bind .*: Address already in use|could not create any TCP\/IP sockets/u.test(output)) {
    return new StartFailure(
      'port-in-use',
      new StrataError('pg-port-in-use', `Port ${port} on 127.0.0.1 is used by another program, so the portable PostgreSQL server cannot listen on it. Close that program, or let Strata choose a free port.`, {
        port,
      }),
    );
  }
  if (/pre-existing shared memory block .* is still in use/u.test(output)) {
    return new StartFailure(
      'shared-memory-busy',
      new StrataError('pg-start-failed', 'Processes of an earlier PostgreSQL server on this data folder are still running. Wait a moment and start again.', { output }),
    );
  }
  if (isDiskFull(output)) return new StartFailure('other', diskFullError(layout.root, 'start the PostgreSQL server', output));
  // The elevation probe missed (an unread language, a Power Users member): postgres said it.
  if (isAdminRefusal(output)) return new StartFailure('other', elevatedError({ output }));
  if (/database files are incompatible with server/u.test(output)) {
    return new StartFailure('other', new StrataError('pg-version-mismatch', 'The PostgreSQL data folder was made by another version of PostgreSQL.', { output }));
  }
  return new StartFailure('other', new StrataError('pg-start-failed', 'The portable PostgreSQL server stopped while starting. Its log is below.', { output }));
}

/** The end of the newest server log, for error details. */
export function logTail(logDir: string, bytes = 4000): string {
  try {
    const newest = fs
      .readdirSync(logDir)
      .map((name) => path.join(logDir, name))
      .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
    if (!newest) return '';
    const text = fs.readFileSync(newest, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

/** Fast shutdown of a server this process started; escalates only if it does not finish. */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<unknown>,
  layout: PortableLayout,
  user: ServerUser | null,
  timeoutMs: number,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const within = (ms: number): Promise<boolean> => settlesWithin(exited, ms);
  if (process.platform === 'win32') {
    await runTool(executable(layout.binRoot, 'pg_ctl'), ['stop', '-D', layout.pgData, '-m', 'fast', '-w', '-t', String(Math.ceil(timeoutMs / 1000))], user);
  } else {
    child.kill('SIGINT');
  }
  if (await within(timeoutMs)) return;
  // Immediate shutdown: no checkpoint, the next start replays the WAL. Still loses nothing committed.
  child.kill(process.platform === 'win32' ? undefined : 'SIGQUIT');
  if (await within(10_000)) return;
  child.kill('SIGKILL');
  await within(5000);
}

/** Stops a server left running by an earlier session of the app (no process handle here). */
export async function stopOrphan(pid: number, layout: PortableLayout, user: ServerUser | null, timeoutMs: number): Promise<void> {
  if (process.platform === 'win32') {
    await runTool(executable(layout.binRoot, 'pg_ctl'), ['stop', '-D', layout.pgData, '-m', 'fast', '-w', '-t', String(Math.ceil(timeoutMs / 1000))], user);
  } else if (isAlive(pid)) {
    process.kill(pid, 'SIGINT');
  }
  if (await waitForExit(pid, timeoutMs)) return;
  if (process.platform !== 'win32') process.kill(pid, 'SIGQUIT');
  if (!(await waitForExit(pid, 10_000))) {
    throw new StrataError('pg-start-failed', `A PostgreSQL server left running on ${layout.pgData} (process ${pid}) does not stop. End that process and try again.`, {
      pid,
    });
  }
}
