/**
 * Runs async tasks one at a time, in the order they were queued. PGlite is one connection:
 * a query sent while a transaction is open would run inside that transaction (and be rolled
 * back with it), so every top-level operation of the PGlite driver goes through one queue.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(task);
    // The chain continues whether the task succeeds or fails; the caller sees its own outcome.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      this.pending--;
    });
  }
}
