/** Port adapters: the one Port interface over each transport the dispatcher is served on. */
import type { ChildProcess } from 'node:child_process';
import type { MessagePort } from 'node:worker_threads';
import type { Port } from '../../../shared/ipc/protocol';

/** A worker_threads / Electron-style MessagePort (also what tests pair in memory). */
export function messagePort(port: MessagePort): Port {
  return {
    send: (m) => port.postMessage(m),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

/** Electron's MessagePortMain and a utilityProcess's parent port, typed to the slice used here. */
export interface ElectronPort {
  on(event: 'message', listener: (e: { data: unknown; ports?: ElectronPort[] }) => void): void;
  off(event: 'message', listener: (e: { data: unknown; ports?: ElectronPort[] }) => void): void;
  postMessage(message: unknown): void;
  start?(): void;
}

/** An Electron port (messages arrive wrapped in an event), started so that it delivers. */
export function electronPort(port: ElectronPort): Port {
  port.start?.();
  return {
    send: (m) => port.postMessage(m),
    onMessage: (listener) => {
      const wrapped = (e: { data: unknown }): void => listener(e.data);
      port.on('message', wrapped);
      return () => port.off('message', wrapped);
    },
  };
}

/** The parent's end of a forked child process's IPC channel. */
export function childProcessPort(child: ChildProcess): Port {
  return {
    send: (m) => {
      if (child.connected) child.send(m as object);
    },
    onMessage: (listener) => {
      child.on('message', listener);
      return () => child.off('message', listener);
    },
  };
}

/** The child's end of its IPC channel with the parent (process.send / 'message'). */
export function parentProcessPort(): Port {
  return {
    send: (m) => {
      if (process.connected) process.send?.(m);
    },
    onMessage: (listener) => {
      process.on('message', listener);
      return () => process.off('message', listener);
    },
  };
}
