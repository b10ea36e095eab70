/**
 * The page's own preferences (theme, segment size for indexing, the collection .nzb files
 * from Explorer go to), kept in localStorage: they belong to this window, not to the catalog.
 */
import { useSyncExternalStore } from 'react';
import { z } from 'zod';
import { DEFAULT_SEGMENT_BYTES } from '../../../shared/domain';

const preferencesSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).catch('system'),
  segmentBytes: z.number().int().min(4096).max(1 << 30).catch(DEFAULT_SEGMENT_BYTES),
  /** Where .nzb files opened from Explorer are imported; null: ask once. */
  openNzbCollectionId: z.number().int().positive().nullable().catch(null),
});

export type Preferences = z.infer<typeof preferencesSchema>;

const KEY = 'strata.preferences';
const listeners = new Set<() => void>();
let cached: Preferences | null = null;

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function readPreferences(): Preferences {
  if (cached) return cached;
  let raw: unknown = {};
  try {
    raw = JSON.parse(storage()?.getItem(KEY) ?? '{}');
  } catch {
    raw = {};
  }
  cached = preferencesSchema.parse(typeof raw === 'object' && raw !== null ? raw : {});
  return cached;
}

export function updatePreferences(patch: Partial<Preferences>): Preferences {
  cached = preferencesSchema.parse({ ...readPreferences(), ...patch });
  storage()?.setItem(KEY, JSON.stringify(cached));
  for (const l of listeners) l();
  return cached;
}

export function usePreferences(): Preferences {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    readPreferences,
  );
}
