/**
 * The owner's local endpoint: the handler map served to the other processes of this user over
 * a Unix socket (a named pipe on Windows). A connection must first say hello with the token
 * from owner.json; until the owner has opened the catalog, a greeted connection waits, and if
 * the open fails it is told why (the same error the owner got). Every fault of one connection
 * (a bad frame, a reset) closes that connection, never the owner.
 */
import { timingSafeEqual } from 'node:crypto';
import net from 'node:net';
import { StrataError, serializeError } from '../../../shared/errors';
import type { EventMap, EventName } from '../../../shared/ipc/contract';
import { helloMessage, type HelloReply, type OwnerKind } from '../../../shared/ipc/owner-protocol';
import { serve, type Dispatcher, type Handlers } from '../ipc/dispatcher';
import { socketPort } from './socket-port';

const HELLO_TIMEOUT_MS = 10_000;

export interface OwnerEndpoint {
  readonly address: string;
  /** Starts serving: greeted connections that waited for the catalog get their welcome now. */
  attach(handlers: Handlers): void;
  /** The owner could not open the catalog: waiting and later connections are told why. */
  refuse(error: unknown): void;
  /** Sends an event (a move's progress, a store switch) to every connected process. */
  emit<E extends EventName>(name: E, payload: EventMap[E]): void;
  close(): Promise<void>;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function listenEndpoint(address: string, token: string, owner: { pid: number; kind: OwnerKind }): Promise<OwnerEndpoint> {
  let handlers: Handlers | null = null;
  let refusal: unknown = null;
  const waiting: (() => void)[] = [];
  const dispatchers = new Set<Dispatcher>();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    // A reset or a write after the peer left is that connection's problem alone.
    socket.on('error', () => socket.destroy());
    const port = socketPort(socket);
    let dispatcher: Dispatcher | null = null;
    const timer = setTimeout(() => socket.destroy(), HELLO_TIMEOUT_MS);
    timer.unref();
    socket.on('close', () => {
      clearTimeout(timer);
      sockets.delete(socket);
      port.dispose();
      if (dispatcher) {
        dispatchers.delete(dispatcher);
        // Calls of a process that went away are cancelled, as when it pressed Ctrl+C.
        dispatcher.close();
      }
    });
    const reply = (m: HelloReply): void => port.send(m);
    const stopHello = port.onMessage((raw) => {
      stopHello();
      clearTimeout(timer);
      const hello = helloMessage.safeParse(raw);
      if (!hello.success || !sameToken(hello.data.token, token)) {
        reply({ t: 'refused', error: serializeError(new StrataError('invalid-argument', 'This connection did not present the token of the data folder\'s owner (owner.json); it is closed.')) });
        socket.end();
        return;
      }
      const welcome = (): void => {
        if (socket.destroyed) return;
        if (!handlers) {
          reply({ t: 'refused', error: serializeError(refusal ?? new StrataError('closed', 'The owner of the data folder is closing; try again.')) });
          socket.end();
          return;
        }
        reply({ t: 'welcome', pid: owner.pid, kind: owner.kind });
        dispatcher = serve(port, handlers);
        dispatchers.add(dispatcher);
      };
      if (handlers || refusal) welcome();
      else waiting.push(welcome);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new StrataError('io', `Strata could not open its local endpoint ${address} (${error.message}).`, { endpoint: address })),
    );
    server.listen(address, () => resolve());
  });
  server.on('error', () => undefined);

  return {
    address,
    attach(h) {
      handlers = h;
      for (const w of waiting.splice(0)) w();
    },
    refuse(error) {
      refusal = error;
      handlers = null;
      for (const w of waiting.splice(0)) w();
    },
    emit(name, payload) {
      for (const d of dispatchers) d.emit(name, payload);
    },
    async close() {
      handlers = null;
      for (const w of waiting.splice(0)) w();
      for (const d of dispatchers) d.close();
      dispatchers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
