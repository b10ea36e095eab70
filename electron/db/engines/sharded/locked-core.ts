/**
 * The sharded tier's lock around its core, generated from one record that names the lock of
 * every member of `EngineCore`. The catalog transaction of an ingest batch stays open while
 * the shards commit (an await), so nothing may reach the catalog connection unlocked: a member
 * added to the interface does not compile until it is given a mode here, and the wrapper
 * exposes only the members the record names.
 */
import type { EngineCore } from '../../store-front/engine-core';
import type { RwLock } from './rw-lock';

export type LockMode =
  /** The whole call shares the lock with other reads. */
  | 'shared'
  /** The whole call holds the lock alone. */
  | 'exclusive'
  /** A stream whose every step shares the lock (never the whole stream: a reader may pause). */
  | 'shared-steps'
  /** The method takes the lock itself, around each of its phases (it must not be held across them). */
  | 'in-phases'
  /** Touches no database. */
  | 'none';

type Member<K extends keyof EngineCore> = NonNullable<EngineCore[K]>;

export type LockModes = {
  readonly [K in keyof EngineCore]-?: Member<K> extends (...args: never[]) => unknown ? LockMode : 'value';
};

type AnyMethod = (...args: unknown[]) => unknown;

/** Each step of a stream runs under the read lock. */
export async function* lockedIterable<T>(source: AsyncIterable<T>, lock: RwLock): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await lock.shared(() => iterator.next());
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function wrap(method: AnyMethod, mode: LockMode, lock: RwLock): AnyMethod {
  switch (mode) {
    case 'shared':
      return (...args) => lock.shared(() => method(...args));
    case 'exclusive':
      return (...args) => lock.exclusive(() => method(...args));
    case 'shared-steps':
      return (...args) => {
        const stream = method(...args) as AsyncIterable<unknown> | null;
        return stream ? lockedIterable(stream, lock) : null;
      };
    case 'in-phases':
    case 'none':
      return method;
  }
}

export function lockedCore(core: EngineCore, lock: RwLock, modes: LockModes): EngineCore {
  const locked: Record<string, unknown> = {};
  for (const [key, mode] of Object.entries(modes) as [keyof EngineCore, LockMode | 'value'][]) {
    if (mode === 'value') {
      Object.defineProperty(locked, key, { get: (): unknown => Reflect.get(core, key), enumerable: true });
      continue;
    }
    const member: unknown = Reflect.get(core, key);
    // Optional members the core leaves out stay out, so the front leaves the capability out too.
    if (typeof member === 'function') locked[key] = wrap((...args: unknown[]) => Reflect.apply(member, core, args), mode, lock);
  }
  return locked as unknown as EngineCore;
}
