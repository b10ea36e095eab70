/**
 * Every move, whoever started it (the wizard, or the manager by its policy), becomes one job in
 * the Jobs list, fed by `migration/progress` and ended by `migration/ended`, so its bar and its
 * outcome survive navigating away. Renders nothing.
 */
import { useRef } from 'react';
import { formatCount } from '../../../../shared/format';
import { useApi, useEvent } from '../../api/ApiContext';
import { useJobStore } from '../../jobs/JobsContext';
import { PHASE_LABELS } from './move-progress';
import { moveTitle } from './move-banner-state';

export function MoveJobTracker() {
  const api = useApi();
  const jobs = useJobStore();
  const current = useRef<string | null>(null);

  useEvent('migration/progress', (p) => {
    if (current.current === null) {
      current.current = `move-${Date.now()}`;
      jobs.track(current.current, 'migration', moveTitle(p), () => void api['migration/cancel']({}).catch(() => undefined));
    }
    jobs.progress(current.current, {
      done: Math.min(p.rows, p.totalRows || p.rows),
      total: p.totalRows > 0 ? p.totalRows : null,
      unit: 'rows',
      label: `${PHASE_LABELS[p.phase]}${p.table ? ` · ${p.table}` : ''}`,
    });
  });

  useEvent('migration/ended', (e) => {
    const id = current.current;
    current.current = null;
    if (!id) return;
    if (e.ok) {
      jobs.finish(id, 'done', { summary: `${formatCount(e.rows)} rows copied and verified in ${(e.elapsedMs / 1000).toFixed(1)} s`, lines: [] }, null);
    } else {
      const cancelled = e.error?.code === 'cancelled';
      jobs.finish(
        id,
        cancelled ? 'cancelled' : 'failed',
        cancelled ? { summary: 'Paused at its last checkpoint; resume it from the Upgrade database screen.', lines: [] } : null,
        e.error,
      );
    }
  });
  return null;
}
