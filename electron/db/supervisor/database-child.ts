/**
 * One running database process as the supervisor sees it, whatever started it: a Node
 * child_process (the CLI's tests, the benchmarks: node-child.ts) or Electron's utilityProcess
 * (the app: electron/main/utility-child.ts). The supervisor's restart logic is written once
 * over this, so the shipped app and the tested code restart the same way.
 */
export interface DatabaseChild {
  readonly pid: number | undefined;
  /** True while messages can be sent (false once the process exited or disconnected). */
  readonly connected: boolean;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the process has gone (`signal` null when it exited by itself). */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Asks the process to close its store and exit (it finishes what it was committing). */
  shutdown(): void;
  /** Ends it now: for a process that did not exit after `shutdown`. */
  kill(): void;
}

/** Starts a database process on a data folder. */
export type LaunchDatabase<C extends DatabaseChild = DatabaseChild> = (dataDir: string) => C;
