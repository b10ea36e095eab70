/**
 * A handler map served inside this process over an in-memory channel, for a CLI command's own
 * calls: they take the same road as a window's or a remote client's (argument schemas, the one
 * error shape, events), only without a process boundary.
 */
import { MessageChannel } from 'node:worker_threads';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import { serve, type Dispatcher, type Handlers } from './dispatcher';
import { messagePort } from './ports';

export interface InMemoryService {
  client: StrataClient;
  /** Sends an event to the client, as the database process forwards the manager's. */
  emit: Dispatcher['emit'];
  close(): void;
}

export function serveInMemory(handlers: Handlers): InMemoryService {
  const channel = new MessageChannel();
  const dispatcher = serve(messagePort(channel.port1), handlers);
  const client = createClient(messagePort(channel.port2));
  return {
    client,
    emit: (name, payload) => dispatcher.emit(name, payload),
    close: () => {
      client.close();
      dispatcher.close();
      channel.port1.close();
      channel.port2.close();
    },
  };
}
