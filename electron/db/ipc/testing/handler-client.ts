/**
 * The handler map over an in-memory port pair, as the CLI serves it: what a test needs to
 * call a real manager through the real dispatcher and client, and to take it down again.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { createClient, type StrataClient } from '../../../../shared/ipc/client';
import type { DatabaseManager } from '../../manager/database-manager';
import { serve } from '../dispatcher';
import { createHandlers } from '../handlers';
import { LOCAL_POLICY, type HostPolicy } from '../host-policy';
import { messagePort } from '../ports';

export interface HandlerClient {
  client: StrataClient;
  /** The client's end, for tests that send raw messages past the client. */
  clientPort: MessagePort;
  /** Closes the client and both ports (the manager stays open: its owner closes it). */
  close(): void;
}

export function handlerClient(manager: DatabaseManager, policy: HostPolicy = LOCAL_POLICY): HandlerClient {
  const channel = new MessageChannel();
  serve(messagePort(channel.port1), createHandlers(manager, policy));
  const client = createClient(messagePort(channel.port2));
  return {
    client,
    clientPort: channel.port2,
    close() {
      client.close();
      channel.port1.close();
      channel.port2.close();
    },
  };
}
