/**
 * Keeps what screens show current: a store switch, the end of a move, a (re)connected
 * database process or a recommendation makes every cached read stale. Writes the page makes
 * refresh on their own (useWrite).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEvent } from '../api/ApiContext';

export function Freshness() {
  const queries = useQueryClient();
  const refresh = (): void => void queries.invalidateQueries();
  useEvent('manager/store-changed', refresh);
  useEvent('migration/ended', refresh);
  useEvent('manager/recommendation', refresh);
  useEvent('db/status', (s) => {
    if (s.state === 'ready') refresh();
  });
  return null;
}
