/**
 * Serves the handler map over any Port: validates each message and its arguments, runs the
 * handler with a signal its client can abort, and answers with a result or the one error
 * shape. Several calls run at once; progress is sent as events, throttled per call so a fast
 * job cannot flood the channel that answers other calls.
 */
import { StrataError, serializeError } from '../../../shared/errors';
import { CONTRACT, type Channel, type EventMap, type EventName, type ParsedArgs, type Result } from '../../../shared/ipc/contract';
import { clientMessage, type Port, type ServerMessage } from '../../../shared/ipc/protocol';

export interface CallContext {
  signal: AbortSignal;
  /** One object per served port (a window, a WebSocket connection): the key for per-connection quotas and rate limits. */
  session: object;
  progress(progress: Record<string, string | number | boolean>): void;
}

export type Handlers = { [C in Channel]: (args: ParsedArgs<C>, ctx: CallContext) => Promise<Result<C>> };

const PROGRESS_INTERVAL_MS = 100;

export interface Dispatcher {
  emit<E extends EventName>(name: E, payload: EventMap[E]): void;
  close(): void;
}

export function serve(port: Port, handlers: Handlers, onBadMessage?: (reason: string) => void): Dispatcher {
  const running = new Map<number, AbortController>();
  const session = {};
  const send = (m: ServerMessage): void => port.send(m);
  const stop = port.onMessage((raw) => {
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      onBadMessage?.('a message that is not a call or a cancel');
      // A call the client will wait for (it has an id) is answered, so a malformed one fails
      // rather than hangs; anything else is dropped.
      const { t, id } = (raw ?? {}) as { t?: unknown; id?: unknown };
      if (t === 'call' && typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
        send({ t: 'error', id, error: serializeError(new StrataError('invalid-argument', 'The request is not a well-formed call (t, id, channel of at most 100 characters, args). Send it again through the Strata client.')) });
      }
      return;
    }
    const m = parsed.data;
    if (m.t === 'cancel') {
      running.get(m.id)?.abort();
      return;
    }
    void run(m.id, m.channel, m.args);
  });

  async function run(id: number, channel: string, rawArgs: unknown): Promise<void> {
    if (running.has(id)) {
      send({ t: 'error', id, error: serializeError(new StrataError('invalid-argument', `Call ${id} is already running.`)) });
      return;
    }
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!Object.hasOwn(CONTRACT, channel)) throw new StrataError('invalid-argument', `There is no operation "${channel}".`, { channel });
      const c = channel as Channel;
      const parsed = CONTRACT[c].args.safeParse(rawArgs);
      if (!parsed.success) {
        throw new StrataError('invalid-argument', `The request for ${c} is malformed: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).slice(0, 5).join('; ')}.`, {
          channel: c,
        });
      }
      let last = 0;
      const ctx: CallContext = {
        signal: controller.signal,
        session,
        progress: (progress) => {
          const now = Date.now();
          if (now - last < PROGRESS_INTERVAL_MS) return;
          last = now;
          send({ t: 'event', name: 'call/progress', payload: { callId: id, channel: c, progress } satisfies EventMap['call/progress'] });
        },
      };
      const handler = handlers[c] as (args: unknown, ctx: CallContext) => Promise<unknown>;
      const result = await handler(parsed.data, ctx);
      send({ t: 'result', id, result });
    } catch (error) {
      send({ t: 'error', id, error: serializeError(error) });
    } finally {
      running.delete(id);
    }
  }

  return {
    emit(name, payload) {
      send({ t: 'event', name, payload });
    },
    close() {
      stop();
      for (const controller of running.values()) controller.abort();
    },
  };
}
