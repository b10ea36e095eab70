/**
 * Full-text search as the user types: debounced, the previous call aborted (its signal reaches
 * the database process) and any answer that arrives late ignored, so the list only ever shows
 * the results of what is in the box now.
 */
import { useEffect, useRef, useState } from 'react';
import type { FileState, SearchHit } from '../../../shared/domain';
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

/** `state` narrows in the query itself, so every page is a full page of files in that state. */
export function useSearch(query: string, collectionId: number | null, state: FileState | null = null, debounceMs = 150): SearchState & { more: () => void } {
  const api = useApi();
  const [result, setResult] = useState<SearchState>(EMPTY);
  const generation = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const text = query.trim();

  const run = (offset: number, append: boolean): void => {
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    const mine = ++generation.current;
    setResult((s) => ({ ...s, loading: true, error: null }));
    api['search/query']({ query: text, collectionId, state, limit: SEARCH_PAGE, offset }, { signal: c.signal }).then(
      (page) => {
        if (mine !== generation.current) return; // A later search owns the list now.
        setResult((s) => ({ hits: append ? [...s.hits, ...page.hits] : page.hits, nextOffset: page.nextOffset, loading: false, error: null, answered: text }));
      },
      (error: unknown) => {
        if (mine !== generation.current || c.signal.aborted) return;
        setResult((s) => ({ ...s, loading: false, error, answered: text, ...(append ? {} : { hits: [], nextOffset: null }) }));
      },
    );
  };

  useEffect(() => {
    if (text === '') {
      controller.current?.abort();
      generation.current++;
      setResult(EMPTY);
      return;
    }
    setResult((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => run(0, false), debounceMs);
    return () => clearTimeout(timer);
  }, [text, collectionId, state, debounceMs]);

  useEffect(() => () => controller.current?.abort(), []);

  return {
    ...result,
    more: () => {
      if (result.nextOffset !== null && !result.loading) run(result.nextOffset, true);
    },
  };
}
