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
