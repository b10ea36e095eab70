/** The one job list of the page, shared by every screen (import, wizard, library exports). */
import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { JobStore} from './job-store';
import { type Job } from './job-store';

const JobsContext = createContext<JobStore | null>(null);

export function JobsProvider({ store, children }: { store: JobStore; children: ReactNode }) {
  return <JobsContext.Provider value={store}>{children}</JobsContext.Provider>;
}

export function useJobStore(): JobStore {
  const store = useContext(JobsContext);
  if (!store) throw new Error('useJobStore outside JobsProvider');
  return store;
}

export function useJobs(): readonly Job[] {
  const store = useJobStore();
  return useSyncExternalStore(
    (l) => store.subscribe(l),
    () => store.list(),
  );
}

/**
 * How many jobs run, as a number: a component that shows only the count re-renders when the
 * count changes, not on every progress tick of a job (the shell holds every screen, so a
 * re-render there on each tick of a move redrew the library while the user scrolled).
 */
export function useRunningJobCount(): number {
  const store = useJobStore();
  return useSyncExternalStore(
    (l) => store.subscribe(l),
    () => store.list().reduce((n, j) => (j.state === 'running' ? n + 1 : n), 0),
  );
}
