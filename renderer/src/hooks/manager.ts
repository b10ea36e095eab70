/** The database manager's status: polled quickly while a move runs, slowly otherwise. */
import { useRead } from '../api/calls';

export function useManagerStatus() {
  const status = useRead('manager/status', {}, { refetchInterval: 30_000 });
  const moving = status.data?.activity !== undefined && status.data.activity !== 'idle';
  const fast = useRead('manager/status', {}, { enabled: moving, refetchInterval: 1_000 });
  return moving && fast.data ? fast : status;
}
