/**
 * The collection the user last imported into, offered first next time (a drop, a picker), for
 * as long as the page is open. Pure state with a subscription, no React.
 */
import { useSyncExternalStore } from 'react';
import type { Collection } from '../../../../shared/domain';
import type { ImportTarget } from '../../hooks/importing';

let last: ImportTarget | null = null;
const listeners = new Set<() => void>();

export function rememberTarget(target: ImportTarget): void {
  last = target;
  for (const l of listeners) l();
}

export function useLastTarget(): ImportTarget | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => last,
  );
}

export const DEFAULT_NZB_COLLECTION = 'NZB imports';

/** What to offer first: the last target if it still exists, else the only NZB collection, else a new one. */
export function initialTarget(last: ImportTarget | null, collections: readonly Collection[], source: 'nzb' | 'local', newName: string): ImportTarget {
  if (last?.kind === 'existing' && collections.some((c) => c.id === last.id)) return last;
  // A collection created by the last import is there now: offer it as itself.
  const made = last?.kind === 'new' ? collections.find((c) => c.name.toLowerCase() === last.name.trim().toLowerCase()) : undefined;
  if (made) return { kind: 'existing', id: made.id, name: made.name };
  const ofSource = collections.filter((c) => c.source === source);
  const only = ofSource.length === 1 ? ofSource[0] : undefined;
  if (only) return { kind: 'existing', id: only.id, name: only.name };
  if (last?.kind === 'new') return last;
  return { kind: 'new', name: newName };
}
