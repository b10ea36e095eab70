/**
 * Ctrl+C during a long call: the call's signal is aborted, which cancels it wherever it runs
 * (in this process, or in the data folder's owner, over its endpoint). The command then waits
 * for the call's own answer (a move pauses at its last checkpoint), instead of dying mid-way.
 */
export async function untilInterrupted<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  try {
    return await call(controller.signal);
  } finally {
    process.off('SIGINT', stop);
  }
}
