/**
 * Runs the database process as a forked child (plain Node; Electron main does the same with a
 * utilityProcess) and gives clients one Port that outlives it. If the child dies, calls in
 * flight fail with a clear error, clients get 'db/status' events, and the child is restarted
 * by the restart policy.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StrataError, serializeError } from '../../../shared/errors';
import type { EventMap } from '../../../shared/ipc/contract';
import { clientMessage, serverMessage, type Port } from '../../../shared/ipc/protocol';
import { restartDecision } from '../../main/restart-policy';

const FROM_SOURCES = import.meta.url.endsWith('.ts');
const ENTRY = fileURLToPath(new URL(`../database-process${FROM_SOURCES ? '.ts' : '.js'}`, import.meta.url));

export class DatabaseSupervisor {
  private child: ChildProcess | null = null;
  private readonly listeners = new Set<(m: unknown) => void>();
  private readonly inFlight = new Set<number>();
  private readonly crashes: number[] = [];
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly dataDir: string) {}

  start(): void {
    this.stopping = false;
    this.status({ state: 'starting' });
    const child = fork(ENTRY, ['--data', this.dataDir], {
      execArgv: FROM_SOURCES ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    this.child = child;
    child.on('message', (raw) => {
      const parsed = serverMessage.safeParse(raw);
      if (!parsed.success) return;
      if (parsed.data.t !== 'event') this.inFlight.delete(parsed.data.id);
      this.deliver(parsed.data);
    });
    child.on('exit', (code, signal) => this.onExit(child, code, signal));
  }

  /** The pid of the current database process (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

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

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  private unavailable(): StrataError {
    return new StrataError('internal', 'The database process is restarting after it stopped unexpectedly; try again in a moment.');
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
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
    const now = Date.now();
    this.crashes.push(now);
    const decision = restartDecision(this.crashes, now);
    if (!decision.restart) {
      this.status({ state: 'stopped', detail: 'The database process keeps stopping; see the log file.' });
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
