/** The catalog-free map over a real in-memory port: server/check answers, the rest refuse. */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../../shared/ipc/client';
import { expectCode } from '../conformance/expect-code';
import { createCatalogFreeHandlers } from './catalog-free-handlers';
import { serve } from './dispatcher';
import { LOCAL_POLICY } from './host-policy';
import { messagePort } from './ports';

describe('the catalog-free handler map', () => {
  it('checks a server and refuses every catalog operation with what to do', async () => {
    const channel = new MessageChannel();
    const dispatcher = serve(messagePort(channel.port1), createCatalogFreeHandlers(LOCAL_POLICY));
    const client = createClient(messagePort(channel.port2));
    try {
      const verdict = await client.call('server/check', { url: 'postgresql://u:p@127.0.0.1:1/db' });
      expect(verdict).toMatchObject({ ok: false, reachable: false });
      expect(verdict.problems).toHaveLength(1);
      const refused = await expectCode(client.call('catalog/stats', {}), 'invalid-argument');
      expect(refused.message).toMatch(/"catalog\/stats" needs a catalog/u);
      await expectCode(client.call('collections/list', {}), 'invalid-argument');
    } finally {
      client.close();
      dispatcher.close();
      channel.port1.close();
      channel.port2.close();
    }
  });
});
