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
  let buffered = '';
  const onData = (chunk: Buffer): void => {
    buffered += chunk.toString('utf8');
    if (buffered.length > MAX_FRAME_BYTES && !buffered.includes('\n')) {
      onBadFrame?.('a message over the size limit');
      socket.destroy();
      return;
    }
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
      if (!line) continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        onBadFrame?.('a line that is not JSON');
        continue;
      }
      for (const l of [...listeners]) l(message);
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
