/**
 * Full-text search as the user types: debounced, the previous call aborted (its signal reaches
 * the database process) and any answer that arrives late ignored, so the list only ever shows
 * the results of what is in the box now.
 */
import { useEffect, useRef, useState } from 'react';
import type { SearchHit } from '../../../shared/domain';
import { useApi } from '../api/ApiContext';

export interface SearchState {
  hits: SearchHit[];
  /** Offset of the next page, null when every result is shown. */
  nextOffset: number | null;
  loading: boolean;
  error: unknown;
  /** The query the hits answer ('' before the first answer). */
  answered: string;
}

const EMPTY: SearchState = { hits: [], nextOffset: null, loading: false, error: null, answered: '' };
export const SEARCH_PAGE = 50;

export function useSearch(query: string, collectionId: number | null, debounceMs = 150): SearchState & { more: () => void } {
  const api = useApi();
  const [state, setState] = useState<SearchState>(EMPTY);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const text = query.trim();

  const run = (offset: number, append: boolean): void => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    api['search/query']({ query: text, collectionId, limit: SEARCH_PAGE, offset }, { signal: c.signal }).then(
      (page) => {
        if (mine !== generation.current) return; // A later search owns the list now.
        setState((s) => ({ hits: append ? [...s.hits, ...page.hits] : page.hits, nextOffset: page.nextOffset, loading: false, error: null, answered: text }));
      },
      (error: unknown) => {
        if (mine !== generation.current || c.signal.aborted) return;
        setState((s) => ({ ...s, loading: false, error, answered: text, ...(append ? {} : { hits: [], nextOffset: null }) }));
      },
    );
  };

  useEffect(() => {
    if (text === '') {
      controller.current?.abort();
      generation.current++;
      setState(EMPTY);
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => run(0, false), debounceMs);
    return () => clearTimeout(timer);
  }, [text, collectionId, debounceMs]);

  useEffect(() => () => controller.current?.abort(), []);

  return {
    ...state,
    more: () => {
      if (state.nextOffset !== null && !state.loading) run(state.nextOffset, true);
    },
  };
}
