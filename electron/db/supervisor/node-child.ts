/**
 * The database process as a forked Node child (tests, benchmarks, the headless tools). From
 * the sources it runs under tsx; from the bundle (out/db) it runs the built file.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DatabaseChild } from './database-child';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ENTRY = fileURLToPath(new URL(`../database-process${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url));

export function forkDatabase(dataDir: string): DatabaseChild {
  return asDatabaseChild(
    fork(ENTRY, ['--data', dataDir], {
      execArgv: FROM_SOURCES ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    }),
  );
}

/** A forked Node child (with its IPC channel) as the supervisor sees it. */
export function asDatabaseChild(child: ChildProcess): DatabaseChild {
  return {
    get pid() {
      return child.pid;
    },
    get connected() {
      return child.connected;
    },
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => {
      child.on('message', listener);
    },
    onExit: (listener) => {
      child.once('exit', (code, signal) => listener(code, signal));
    },
    // The database process treats the end of its IPC channel as the order to close.
    shutdown: () => {
      if (child.connected) child.disconnect();
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  };
}
