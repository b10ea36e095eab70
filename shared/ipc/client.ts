/**
 * The typed client every front end uses (renderer, CLI, tests): `call(channel, args)` returns
 * the channel's result type; an AbortSignal cancels the call on the other side; progress
 * events of the call reach `onProgress`. Errors arrive as StrataError, in the one shape.
 */
import { StrataError, deserializeError } from '../errors';
import { CONTRACT, type Args, type Channel, type EventMap, type EventName, type Result } from './contract';
import { serverMessage, type Port } from './protocol';

export interface CallOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Record<string, string | number | boolean>) => void;
}

export interface StrataClient {
  call<C extends Channel>(channel: C, args: Args<C>, options?: CallOptions): Promise<Result<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Fails every call in flight (the other side went away) and keeps the client usable. */
  failPending(error: StrataError): void;
  close(): void;
}

interface Pending {
  channel: Channel;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  onProgress: CallOptions['onProgress'];
  /** Takes the call's cancel listener off its signal once the call is answered. */
  release: () => void;
}

export function createClient(port: Port): StrataClient {
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  // A signal often outlives many calls (the library's pager passes one to every page it reads):
  // a listener left on it after its call was answered would hold the call for as long as the
  // signal lives and, when it fires, cancel ids the other side answered long ago.
  const settle = (id: number): Pending | undefined => {
    const call = pending.get(id);
    if (!call) return undefined;
    pending.delete(id);
    call.release();
    return call;
  };
  const settleAll = (error: StrataError): void => {
    for (const id of [...pending.keys()]) settle(id)?.reject(error);
  };
  const stop = port.onMessage((raw) => {
    const parsed = serverMessage.safeParse(raw);
    if (!parsed.success) return;
    const m = parsed.data;
    if (m.t === 'event') {
      if (m.name === 'call/progress') {
        const p = m.payload as EventMap['call/progress'];
        pending.get(p.callId)?.onProgress?.(p.progress);
      }
      for (const l of listeners.get(m.name) ?? []) (l as (payload: unknown) => void)(m.payload);
      return;
    }
    const call = settle(m.id);
    if (!call) return;
    if (m.t === 'error') {
      call.reject(deserializeError(m.error));
      return;
    }
    // The answer is held to the channel's result schema before anyone uses it.
    const checked = CONTRACT[call.channel].result.safeParse(m.result);
    if (checked.success) call.resolve(checked.data);
    else call.reject(new StrataError('internal', `The answer to ${call.channel} did not have the expected shape (${checked.error.issues[0]?.path.join('.') ?? ''}: ${checked.error.issues[0]?.message ?? ''}).`));
  });
  return {
    call(channel, args, options = {}) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        if (options.signal?.aborted) {
          reject(new StrataError('cancelled', 'The request was cancelled before it started.'));
          return;
        }
        const { signal } = options;
        const cancel = (): void => port.send({ t: 'cancel', id });
        signal?.addEventListener('abort', cancel, { once: true });
        const release = (): void => signal?.removeEventListener('abort', cancel);
        pending.set(id, { channel, resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress, release });
        port.send({ t: 'call', id, channel, args });
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    failPending(error) {
      settleAll(error);
    },
    close() {
      stop();
      settleAll(new StrataError('closed', 'The connection to the database closed.'));
    },
  };
}
