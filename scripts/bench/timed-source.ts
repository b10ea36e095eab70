/**
 * Wraps a batch generator and keeps the time spent producing batches apart, so ingest rates
 * measure the database work and not the synthetic data source feeding it.
 */
export interface TimedSource<T> extends Iterable<T> {
  readonly generatingMs: number;
}

export function timedSource<T>(source: Iterable<T>): TimedSource<T> {
  let generatingMs = 0;
  const iterator = source[Symbol.iterator]();
  return {
    get generatingMs() {
      return generatingMs;
    },
    [Symbol.iterator]() {
      return {
        next(): IteratorResult<T> {
          const started = performance.now();
          const result = iterator.next();
          generatingMs += performance.now() - started;
          return result;
        },
      };
    },
  };
}
