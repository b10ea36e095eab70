/**
 * Keeps a database process running for as long as its owner wants it, in the app (Electron
 * main, over utilityProcess) and in Node (tests, benchmarks, over child_process.fork): one
 * restart loop for both. If the process dies, calls in flight through `port()` fail with a
 * clear error, clients get 'db/status' events, `onStarted` runs again for each new process
 * (main hands the new process its windows' ports there), and the restart policy decides when
 * to stop trying (`onGaveUp`).
 */
import { StrataError, serializeError } from '../../../shared/errors';
import type { EventMap } from '../../../shared/ipc/contract';
import { clientMessage, serverMessage, type Port } from '../../../shared/ipc/protocol';
import type { DatabaseChild, LaunchDatabase } from './database-child';
import { restartDecision } from './restart-policy';

export interface SupervisorHooks<C extends DatabaseChild> {
  /** Each time a process has been started (the first and every restart). */
  onStarted?: (child: C) => void;
  /** The process kept stopping and the policy gave up; `detail` says so in the user's words. */
  onGaveUp?: (detail: string) => void;
  /** An unexpected exit, for the log. */
  onExit?: (code: number | null, signal: string | null) => void;
  /** How long `stop` waits for a clean exit before it kills the process. */
  stopTimeoutMs?: number;
  /** When to restart; the shipped policy unless a test needs a faster one. */
  restartPolicy?: typeof restartDecision;
}

export class DatabaseSupervisor<C extends DatabaseChild = DatabaseChild> {
  private child: C | null = null;
  private readonly listeners = new Set<(m: unknown) => void>();
  private readonly inFlight = new Set<number>();
  private readonly crashes: number[] = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly launch: LaunchDatabase<C>,
    private readonly hooks: SupervisorHooks<C> = {},
  ) {}

  start(): void {
    this.stopping = false;
    this.status({ state: 'starting' });
    const child = this.launch(this.dataDir);
    this.child = child;
    child.onMessage((raw) => {
      const parsed = serverMessage.safeParse(raw);
      if (!parsed.success) return;
      if (parsed.data.t !== 'event') this.inFlight.delete(parsed.data.id);
      this.deliver(parsed.data);
    });
    child.onExit((code, signal) => this.onExit(child, code, signal));
    this.hooks.onStarted?.(child);
  }

  /** The current database process, null between a crash and its restart. */
  get current(): C | null {
    return this.child;
  }

  /** The pid of the current database process (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A port whose calls go to whichever process is current; it outlives restarts. */
  port(): Port {
    return {
      send: (m) => {
        const parsed = clientMessage.safeParse(m);
        if (!parsed.success) return;
        if (parsed.data.t === 'call') {
          if (!this.child?.connected) {
            this.deliver({ t: 'error', id: parsed.data.id, error: serializeError(this.unavailable()) });
            return;
          }
          this.inFlight.add(parsed.data.id);
        }
        this.child?.send(parsed.data);
      },
      onMessage: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
    };
  }

  /** Closes the process cleanly (its store is closed, a move pauses at its checkpoint). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
    child.shutdown();
    const timer = setTimeout(() => child.kill(), this.hooks.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  }

  private unavailable(): StrataError {
    return new StrataError('internal', 'The database process is restarting after it stopped unexpectedly; try again in a moment.');
  }

  private onExit(child: C, code: number | null, signal: string | null): void {
    if (child !== this.child) return;
    this.child = null;
    for (const id of this.inFlight) {
      this.deliver({
        t: 'error',
        id,
        error: serializeError(
          new StrataError('internal', `The database process stopped unexpectedly (${signal ?? `exit code ${code}`}) while this request ran; it is being restarted. Committed data is safe; try again.`),
        ),
      });
    }
    this.inFlight.clear();
    if (this.stopping) {
      this.status({ state: 'stopped' });
      return;
    }
    this.hooks.onExit?.(code, signal);
    const now = Date.now();
    this.crashes.push(now);
    const decision = (this.hooks.restartPolicy ?? restartDecision)(this.crashes, now);
    if (!decision.restart) {
      const detail = 'The database process keeps stopping; see the log file.';
      this.status({ state: 'stopped', detail });
      this.hooks.onGaveUp?.(detail);
      return;
    }
    this.status({ state: 'restarting', detail: signal ?? `exit code ${code}` });
    this.restartTimer = setTimeout(() => this.start(), decision.delayMs);
  }

  private status(payload: EventMap['db/status']): void {
    this.deliver({ t: 'event', name: 'db/status', payload });
  }

  private deliver(message: unknown): void {
    for (const l of this.listeners) l(message);
  }
}
