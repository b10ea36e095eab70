/**
 * Another process's side of the owner's endpoint: connect, say hello with the token from
 * owner.json, and on the welcome use the ordinary typed client over the socket. If the owner
 * goes away, calls in flight fail with `closed` naming it, rather than hanging.
 */
import net from 'node:net';
import { StrataError, deserializeError } from '../../../shared/errors';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { helloReply, type OwnerRecord } from '../../../shared/ipc/owner-protocol';
import { describeOwner } from './owner-message';
import { socketPort } from './socket-port';

/** The owner may still be opening its catalog (a PostgreSQL server can take a while to start). */
const WELCOME_TIMEOUT_MS = 120_000;

export interface OwnerConnection {
  owner: OwnerRecord;
  client: StrataClient;
  close(): void;
}

/** Thrown when the endpoint is not there or answers for another record: worth a new look. */
export class EndpointGone extends Error {
  override readonly name = 'EndpointGone';
}

export function connectOwner(owner: OwnerRecord): Promise<OwnerConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(owner.endpoint);
    const port = socketPort(socket);
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new StrataError('db-locked', `${describeOwner(owner)} holds the data folder but did not answer within ${WELCOME_TIMEOUT_MS / 1000} s. If it is stuck, stop it, then try again.`, { owner: publicOwner(owner) })),
      WELCOME_TIMEOUT_MS,
    );
    socket.on('error', (error: NodeJS.ErrnoException) => fail(new EndpointGone(error.code ?? error.message)));
    socket.on('close', () => fail(new EndpointGone('closed before the welcome')));
    socket.on('connect', () => port.send({ t: 'hello', token: owner.token }));
    const stopHello = port.onMessage((raw) => {
      stopHello();
      const reply = helloReply.safeParse(raw);
      if (!reply.success) {
        fail(new EndpointGone('not a Strata endpoint'));
        return;
      }
      if (reply.data.t === 'refused') {
        const error = deserializeError(reply.data.error);
        // A token refused means owner.json changed under us (a new owner): look again.
        fail(error.code === 'invalid-argument' ? new EndpointGone(error.message) : error);
        return;
      }
      settled = true;
      clearTimeout(timer);
      const client = createClient(port);
      socket.removeAllListeners('close');
      socket.on('close', () =>
        client.failPending(new StrataError('closed', `${describeOwner(owner)}, which was running this request, went away before it finished. Check the catalog (strata stats) and run the command again.`, { owner: publicOwner(owner) })),
      );
      resolve({
        owner,
        client,
        close() {
          client.close();
          socket.end();
        },
      });
    });
  });
}

/** The owner's record without its token, for messages and error details. */
export function publicOwner(owner: OwnerRecord): Omit<OwnerRecord, 'token'> {
  return { pid: owner.pid, kind: owner.kind, command: owner.command, started: owner.started, endpoint: owner.endpoint };
}
