/** Health: the integrity check (run as a job) with its problems listed, and the last backup with a Back up button. */
import { Badge, Button, Spinner, Text } from '@fluentui/react-components';
import { ArchiveArrowBack20Regular, Wrench20Regular, ShieldCheckmark20Regular } from '@fluentui/react-icons';
import { formatBytes } from '../../../../shared/format';
import type { ManagerStatus } from '../../../../shared/manager';
import { useBackup, useIntegrityCheck } from '../../hooks/database';
import { useJobs } from '../../jobs/JobsContext';
import { useDashboardStyles } from './dashboard-styles';

export function whenText(at: number, now = Date.now()): string {
  const minutes = Math.round((now - at) / 60_000);
  const date = new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (minutes < 1) return `just now (${date})`;
  if (minutes < 60) return `${minutes} min ago (${date})`;
  const days = Math.floor(minutes / 1440);
  return days >= 1 ? `${days} day${days === 1 ? '' : 's'} ago (${date})` : date;
}

export function HealthCard({ status }: { status: ManagerStatus }) {
  const d = useDashboardStyles();
  const check = useIntegrityCheck();
  const backup = useBackup();
  const backingUp = useJobs().some((j) => j.kind === 'backup' && j.state === 'running');
  const r = check.result;
  return (
    <>
      <div className={d.actions}>
        {r ? (
          <Badge color={r.ok ? 'success' : 'danger'} size="large">
            {r.ok ? 'No problem found' : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`}
          </Badge>
        ) : (
          <Text className={d.muted}>Not checked in this session.</Text>
        )}
        {r && <Text className={d.muted}>Checked {whenText(r.at)} in {(r.checkedMs / 1000).toFixed(1)} s</Text>}
      </div>
      {r && r.problems.length > 0 && (
        <ul className={d.list} aria-label="Problems found">
          {r.problems.map((p) => (
            <li key={p}>
              <Text>{p}</Text>
            </li>
          ))}
        </ul>
      )}
      <Text>
        Last backup:{' '}
        {status.lastBackup ? (
          <>
            {whenText(status.lastBackup.at)}, {formatBytes(status.lastBackup.bytes)} to <span title={status.lastBackup.path}>{status.lastBackup.path}</span>
          </>
        ) : (
          'none yet. A backup is a consistent copy of the catalog you can keep elsewhere.'
        )}
      </Text>
      <div className={d.actions}>
        <Button icon={check.running ? <Spinner size="tiny" /> : <ShieldCheckmark20Regular />} disabled={check.running} onClick={check.run}>
          Check integrity
        </Button>
        {r && !r.ok && (
          <Button icon={<Wrench20Regular />} disabled={check.running} onClick={check.repair}>
            Repair
          </Button>
        )}
        <Button icon={backingUp ? <Spinner size="tiny" /> : <ArchiveArrowBack20Regular />} disabled={backingUp} onClick={() => void backup()}>
          Back up…
        </Button>
      </div>
    </>
  );
}
