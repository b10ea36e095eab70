/**
 * The two ways a screen's hooks reach the catalog: `useRead` (cached, refreshed by events and
 * after writes) and `useWrite` (a change, after which every read is refreshed, so nothing on
 * screen is stale). Screen-level hooks in renderer/src/hooks/ wrap these; screens use those.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient, type UseMutationResult, type UseQueryResult } from '@tanstack/react-query';
import type { StrataError } from '../../../shared/errors';
import type { StrataApi } from '../../../shared/ipc/api';
import type { CallOptions } from '../../../shared/ipc/client';
import type { Args, Channel, Result } from '../../../shared/ipc/contract';
import { useApi } from './ApiContext';

/** One channel's function of the typed API (indexing the API by a generic channel loses its type). */
function callOf<C extends Channel>(api: StrataApi, channel: C): (a: Args<C>, o?: CallOptions) => Promise<Result<C>> {
  return api[channel] as unknown as (a: Args<C>, o?: CallOptions) => Promise<Result<C>>;
}

export interface ReadOptions {
  enabled?: boolean;
  /** Poll while something changes on the other side (a move, a job). */
  refetchInterval?: number | false;
  /** Keep showing the previous answer while the next one loads (paging, sorting). */
  keepPrevious?: boolean;
}

export function useRead<C extends Channel>(channel: C, args: Args<C>, options: ReadOptions = {}): UseQueryResult<Result<C>, StrataError> {
  const api = useApi();
  return useQuery<Result<C>, StrataError>({
    queryKey: [channel, args],
    queryFn: ({ signal }) => callOf(api, channel)(args, { signal }),
    enabled: options.enabled ?? true,
    refetchInterval: options.refetchInterval ?? false,
    ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
  });
}

export function useWrite<C extends Channel>(channel: C): UseMutationResult<Result<C>, StrataError, Args<C>> {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation<Result<C>, StrataError, Args<C>>({
    mutationFn: (args) => callOf(api, channel)(args),
    // Whatever the write touched, every screen shows the catalog as it is now.
    onSettled: () => queries.invalidateQueries(),
  });
}
