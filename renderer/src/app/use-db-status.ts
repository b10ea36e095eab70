/** The latest word from the database process or the host: ready, restarting, stopped. */
import { useState } from 'react';
import type { EventMap } from '../../../shared/ipc/contract';
import { useEvent } from '../api/ApiContext';

export type DbStatus = EventMap['db/status'];

export function useDbStatus(): DbStatus {
  const [status, setStatus] = useState<DbStatus>({ state: 'ready' });
  useEvent('db/status', setStatus);
  return status;
}
