/** The catalog-free map served in memory, as check-server uses it: server/check answers, the rest refuse. */
import { describe, expect, it } from 'vitest';
import { expectCode } from '../conformance/expect-code';
import { createCatalogFreeHandlers } from './catalog-free-handlers';
import { LOCAL_POLICY } from './host-policy';
import { serveInMemory } from './in-memory';

describe('the catalog-free handler map', () => {
  it('checks a server, refuses every catalog operation with what to do, and passes events on', async () => {
    const service = serveInMemory(createCatalogFreeHandlers(LOCAL_POLICY));
    const { client } = service;
    try {
      const verdict = await client.call('server/check', { url: 'postgresql://u:p@127.0.0.1:1/db' });
      expect(verdict).toMatchObject({ ok: false, reachable: false });
      expect(verdict.problems).toHaveLength(1);
      const refused = await expectCode(client.call('catalog/stats', {}), 'invalid-argument');
      expect(refused.message).toMatch(/"catalog\/stats" needs a catalog/u);
      await expectCode(client.call('collections/list', {}), 'invalid-argument');
      const heard = new Promise((resolve) => client.on('catalog/changed', resolve));
      service.emit('catalog/changed', { what: 'a test' });
      expect(await heard).toEqual({ what: 'a test' });
    } finally {
      service.close();
    }
  });
});
