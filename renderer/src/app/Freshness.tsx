/**
 * Keeps what screens show current: a store switch, the end of a move, a (re)connected
 * database process or a recommendation makes every cached read stale. Writes the page makes
 * refresh on their own (useWrite); writes made anywhere else (another window, a browser on the
 * host, the CLI) arrive as `catalog/changed`, coalesced so a folder of a thousand NZBs imported
 * elsewhere costs a few re-reads, not a thousand.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useEvent } from '../api/ApiContext';

const CHANGED_EVERY_MS = 500;

export function Freshness() {
  const queries = useQueryClient();
  const refresh = (): void => void queries.invalidateQueries();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
  useEvent('manager/store-changed', refresh);
  useEvent('migration/ended', refresh);
  useEvent('manager/recommendation', refresh);
  useEvent('db/status', (s) => {
    if (s.state === 'ready') refresh();
  });
  useEvent('catalog/changed', () => {
    // Trailing: the re-read follows the last of a burst, at most every CHANGED_EVERY_MS.
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      refresh();
    }, CHANGED_EVERY_MS);
  });
  return null;
}
