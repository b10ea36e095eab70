/**
 * The Port interface over a stream socket (Unix socket or named pipe): one JSON message per
 * line. JSON.stringify escapes every newline inside strings, so a line is always one message.
 * A line longer than the limit closes that connection (never the process): nothing the typed
 * protocol sends comes near it, and an unbounded buffer would let a client exhaust memory.
 */
import type { Socket } from 'node:net';
import type { Port } from '../../../shared/ipc/protocol';

export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export interface SocketPort extends Port {
  /** Stops delivering lines to listeners (the socket stays open). */
  dispose(): void;
}

export function socketPort(socket: Socket, onBadFrame?: (reason: string) => void): SocketPort {
  const listeners = new Set<(message: unknown) => void>();
  // Chunks of the line being received; only each new chunk is searched for its end.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const deliver = (line: string): void => {
    if (!line) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      onBadFrame?.('a line that is not JSON');
      return;
    }
    for (const l of [...listeners]) l(message);
  };
  const onData = (chunk: Buffer): void => {
    let start = 0;
    let newline = chunk.indexOf(0x0a, start);
    while (newline >= 0) {
      pending.push(chunk.subarray(start, newline));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      pendingBytes = 0;
      deliver(line);
      if (socket.destroyed) return;
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_FRAME_BYTES) {
        pending = [];
        pendingBytes = 0;
        onBadFrame?.('a message over the size limit');
        socket.destroy();
      }
    }
  };
  socket.on('data', onData);
  return {
    send(message) {
      if (!socket.destroyed && socket.writable) socket.write(`${JSON.stringify(message)}\n`);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      socket.off('data', onData);
      listeners.clear();
    },
  };
}
