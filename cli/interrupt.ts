/**
 * Ctrl+C during a long call: the call's signal is aborted, which cancels it wherever it runs
 * (in this process, or in the data folder's owner, over its endpoint). The command then waits
 * for the call's own answer instead of dying mid-way, and says what the stop left: the job's
 * engine knows (a move pauses at its checkpoint, an import rolls back the NZB it was reading),
 * so each command passes `explain` to turn that answer into words of its own. A second Ctrl+C
 * finds no handler and ends the process at once.
 */
import { isStrataError } from '../shared/errors';

export interface Interruption {
  /** Printed on stderr at the first Ctrl+C (not with --json: stderr is JSON lines there). */
  notice?: string;
  json?: boolean;
  /** The error to throw for a call that ended because of the Ctrl+C (it was `cancelled`). */
  explain?: (error: unknown) => unknown;
}

export async function untilInterrupted<T>(call: (signal: AbortSignal) => Promise<T>, opts: Interruption = {}): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => {
    controller.abort();
    if (opts.notice && !opts.json) process.stderr.write(`\n${opts.notice} (Ctrl+C again quits at once.)\n`);
  };
  process.once('SIGINT', stop);
  try {
    return await call(controller.signal);
  } catch (error) {
    if (controller.signal.aborted && opts.explain && isStrataError(error, 'cancelled')) throw await opts.explain(error);
    throw error;
  } finally {
    process.off('SIGINT', stop);
  }
}
