/**
 * Whether a move between tiers is running, as main learns it from the database process: its
 * parent port carries the manager's events (`migration/progress`, `migration/ended`) like any
 * window's port, and `manager/status` answers the question on demand. Main runs no query here;
 * it asks the manager what it is doing, the one fact the update policy needs.
 *
 * Two readings, for two uses: `moving()` follows the events and is what a synchronous quit
 * handler can read; `probe()` asks now and is what a check or an install waits for.
 */
import type { StrataClient } from '../../../shared/ipc/client';
import { isStrataError } from '../../../shared/errors';
import type { MoveActivity } from './update-policy';

/** The slice of the typed client the guard uses. */
export type MoveClient = Pick<StrataClient, 'call' | 'on'>;

export interface MoveGuard {
  moving(): boolean;
  probe(): Promise<MoveActivity>;
  onChange(listener: (moving: boolean) => void): () => void;
  /** The client of the database process now running, or null while none runs. */
  follow(client: MoveClient | null): void;
}

export const PROBE_TIMEOUT_MS = 5_000;

export function createMoveGuard(timeoutMs = PROBE_TIMEOUT_MS): MoveGuard {
  let client: MoveClient | null = null;
  let unsubscribe: (() => void)[] = [];
  let moving = false;
  const listeners = new Set<(moving: boolean) => void>();
  const set = (next: boolean): void => {
    if (next === moving) return;
    moving = next;
    for (const l of listeners) l(moving);
  };

  const probe = async (): Promise<MoveActivity> => {
    const asked = client;
    if (!asked) return 'idle';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'unknown'>((resolve) => {
      timer = setTimeout(() => resolve('unknown'), timeoutMs);
    });
    const answered = asked.call('manager/status', {}).then(
      (status): MoveActivity => (status.activity === 'idle' ? 'idle' : 'moving'),
      (error: unknown): MoveActivity =>
        // A process that answers with an error (its store did not open) runs no move; a closed
        // connection or a busy manager says nothing either way.
        isStrataError(error) && error.code !== 'closed' && error.code !== 'busy' ? 'idle' : 'unknown',
    );
    const activity = await Promise.race([answered, timedOut]);
    clearTimeout(timer);
    // A late answer from a process that has since been replaced says nothing about the new one.
    if (asked === client && activity !== 'unknown') set(activity === 'moving');
    return activity;
  };

  return {
    moving: () => moving,
    probe,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow(next) {
      for (const u of unsubscribe) u();
      unsubscribe = [];
      client = next;
      // No process, no move: one that stopped left its move at a checkpoint, resumed only on request.
      set(false);
      if (!next) return;
      unsubscribe = [
        next.on('migration/progress', () => set(true)),
        next.on('migration/ended', () => set(false)),
        // A (re)started process may be running a move already (an automatic one at a quiet moment).
        next.on('db/status', (s) => {
          if (s.state === 'ready') void probe();
          else set(false);
        }),
      ];
    },
  };
}
