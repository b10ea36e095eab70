/**
 * The database dashboard's and the upgrade wizard's calls: plan, detailed sizes, preflight,
 * server check, the move and what follows it (cancel, rollback, discard, removal), backups and
 * integrity checks as jobs. Screens use these; none names a channel.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { StrataError } from '../../../shared/errors';
import type { Args, Result } from '../../../shared/ipc/contract';
import type { MoveProgress } from '../../../shared/manager';
import { downloadHref } from '../../../shared/ipc/transfer-schemas';
import { useApi, useDesktop, useEvent } from '../api/ApiContext';
import { useRead, useWrite } from '../api/calls';
import { useJobStore } from '../jobs/JobsContext';

export function useManagerPlan() {
  return useRead('manager/plan', {}, { refetchInterval: 60_000 });
}

/** Sizes per table and per shard (it reads every page of the store, so not polled). */
export function useStoreSizes() {
  return useRead('catalog/stats', { detailed: true }, { keepPrevious: true });
}

export function usePreflight(args: Args<'migration/preflight'> | null) {
  return useRead('migration/preflight', args ?? { to: 'sqlite' }, { enabled: args !== null });
}

/** Asks a server for its verdict; not a write, so nothing else is refreshed after it. */
export function useServerCheck() {
  const api = useApi();
  return useMutation<Result<'server/check'>, StrataError, string>({ mutationFn: (url) => api['server/check']({ url }) });
}

export function useManagerSettings() {
  return useWrite('manager/settings');
}

/** The latest `migration/progress` the page heard, while a move runs. */
export function useMoveProgress(fallback: MoveProgress | null): MoveProgress | null {
  const [latest, setLatest] = useState<MoveProgress | null>(null);
  useEvent('migration/progress', setLatest);
  useEvent('migration/ended', () => setLatest(null));
  return latest ?? fallback;
}

export type MoveResult = Result<'migration/start'>;

/** What the page asked for and got back from the last move it started, kept across screens. */
export interface MoveOutcome {
  request: Args<'migration/start'>;
  result: MoveResult | null;
  error: StrataError | null;
  startedAt: number;
}
const OUTCOME_KEY = ['wizard', 'outcome'] as const;

export function useMoveOutcome(): [MoveOutcome | null, (o: MoveOutcome | null) => void] {
  const queries = useQueryClient();
  const outcome = useQuery<MoveOutcome | null>({ queryKey: OUTCOME_KEY, queryFn: () => null, staleTime: Infinity, gcTime: Infinity, enabled: false, initialData: null });
  const set = useCallback((o: MoveOutcome | null) => queries.setQueryData(OUTCOME_KEY, o), [queries]);
  return [outcome.data ?? null, set];
}

/**
 * Starts a move. Its progress reaches the Jobs screen through MoveJobTracker (the same as a
 * move the manager started by itself); its answer is kept as the wizard's outcome.
 */
export function useStartMove() {
  const api = useApi();
  const queries = useQueryClient();
  const [, setOutcome] = useMoveOutcome();
  return useCallback(
    (request: Args<'migration/start'>) => {
      const startedAt = Date.now();
      setOutcome({ request, result: null, error: null, startedAt });
      void api['migration/start']({ ...request, detach: true }).then(
        (result) => setOutcome({ request, result, error: null, startedAt }),
        (error: StrataError) => setOutcome({ request, result: null, error, startedAt }),
      ).finally(() => void queries.invalidateQueries());
    },
    [api, queries, setOutcome],
  );
}

export function useCancelMove() {
  return useWrite('migration/cancel');
}
export function useRollback() {
  return useWrite('migration/rollback');
}
export function useDiscardMove() {
  return useWrite('migration/discard');
}
export function useRemovePrevious() {
  return useWrite('stores/remove-previous');
}

/** A backup as a job: Electron asks where with its save dialog; a browser leaves it with the host. */
export function useBackup() {
  const api = useApi();
  const desktop = useDesktop();
  const jobs = useJobStore();
  const queries = useQueryClient();
  return useCallback(async (): Promise<void> => {
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/gu, '').replace('T', '-');
    const name = `strata-backup-${stamp}.db`;
    const destination = desktop ? await desktop.pickSaveLocation('backup', name) : name;
    if (destination === null) return;
    jobs.start('backup', `Back up the catalog`, async (ctx) => {
      const { signal } = ctx;
      const progress = (p: Parameters<typeof ctx.progress>[0]): void => ctx.progress(p);
      const r = await api['catalog/backup'](
        { destination },
        {
          signal,
          onProgress: (p) => {
            const total = Number(p.totalPages);
            const remaining = Number(p.remainingPages);
            if (total > 0) progress({ done: total - remaining, total, unit: 'pages', label: null });
          },
        },
      );
      void queries.invalidateQueries();
      // Over the headless host the backup stays on the host's disk; the browser fetches it from there.
      const token = new URLSearchParams(window.location.hash.replace(/^#/u, '')).get('token');
      const download = r.download && token ? { name: r.download.split('/')[1] ?? name, href: downloadHref(r.download, token) } : undefined;
      return {
        summary: `Backed up to ${r.path}`,
        lines: [{ status: 'ok', text: `${r.path}`, detail: `${(r.bytes / 1e6).toFixed(1)} MB in ${(r.elapsedMs / 1000).toFixed(1)} s` }],
        ...(download ? { download } : {}),
      };
    });
  }, [api, desktop, jobs, queries]);
}

export type CheckResult = Result<'catalog/check'> & { at: number };
const CHECK_KEY = ['dashboard', 'check'] as const;

/** The integrity check as a job; its last answer stays for the dashboard. */
export function useIntegrityCheck(): { result: CheckResult | null; running: boolean; run: () => void; repair: () => void } {
  const api = useApi();
  const jobs = useJobStore();
  const queries = useQueryClient();
  const result = useQuery<CheckResult | null>({ queryKey: CHECK_KEY, queryFn: () => null, staleTime: Infinity, gcTime: Infinity, enabled: false, initialData: null });
  const [running, setRunning] = useState(false);
  const run = useCallback(() => {
    setRunning(true);
    jobs.start('check', 'Check the catalog', async ({ signal }) => {
      try {
        const r = await api['catalog/check']({}, { signal });
        queries.setQueryData(CHECK_KEY, { ...r, at: Date.now() });
        return {
          summary: r.ok ? 'No problem found' : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} found`,
          lines: r.problems.map((p) => ({ status: 'failed' as const, text: p })),
        };
      } finally {
        setRunning(false);
      }
    });
  }, [api, jobs, queries]);
  const repair = useCallback(() => {
    setRunning(true);
    jobs.start('repair', 'Repair the catalog', async ({ signal }) => {
      try {
        const r = await api['catalog/repair']({}, { signal });
        queries.setQueryData(CHECK_KEY, { ...r.check, at: Date.now() });
        void queries.invalidateQueries();
        const fixed = [
          r.repair.orphanSegments > 0 ? `${r.repair.orphanSegments} orphan segments removed` : null,
          r.repair.files + r.repair.folders + r.repair.collections > 0 ? `counters of ${r.repair.files} files, ${r.repair.folders} folders, ${r.repair.collections} collections settled` : null,
          r.repair.fullTextRebuilt ? 'search index rebuilt' : null,
        ].filter((x): x is string => x !== null);
        return {
          summary: r.check.ok ? 'Repaired; the check passes' : `${r.repair.unrepaired.length} problem(s) left`,
          lines: [...fixed.map((t) => ({ status: 'ok' as const, text: t })), ...r.repair.unrepaired.map((t) => ({ status: 'failed' as const, text: t }))],
        };
      } finally {
        setRunning(false);
      }
    });
  }, [api, jobs, queries]);
  return { result: result.data ?? null, running, run, repair };
}
