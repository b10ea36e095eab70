/**
 * One job: kind, title and state, a progress bar (indeterminate until a total is known), what
 * is done of how much, rate and time left once measured, Cancel while it runs; when it ends,
 * its report or its error in the error's own words.
 */
import { Badge, Button, ProgressBar, Text, makeStyles, tokens } from '@fluentui/react-components';
import { Dismiss20Regular } from '@fluentui/react-icons';
import { deserializeError } from '../../../../shared/errors';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { formatDone, formatDuration, formatRate } from '../../jobs/job-format';
import type { Job } from '../../jobs/job-store';
import { JobIcon, KIND_LABELS } from './JobIcon';
import { JobReportView } from './JobReportView';

const useStyles = makeStyles({
  row: {
    display: 'grid',
    gridTemplateColumns: '20px minmax(0, 1fr) auto',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    alignItems: 'center',
  },
  icon: { color: tokens.colorNeutralForeground2, alignSelf: 'start', paddingTop: '2px' },
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  title: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontWeight: tokens.fontWeightSemibold },
  body: { gridColumn: '2 / 4', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  figures: { display: 'flex', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalL, color: tokens.colorNeutralForeground2, fontVariantNumeric: 'tabular-nums' },
  label: { color: tokens.colorNeutralForeground3, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
});

const STATE: Record<Job['state'], { text: string; color: 'brand' | 'success' | 'danger' | 'informative' }> = {
  running: { text: 'Running', color: 'brand' },
  done: { text: 'Done', color: 'success' },
  failed: { text: 'Failed', color: 'danger' },
  cancelled: { text: 'Cancelled', color: 'informative' },
};

export function JobRow({ job, now }: { job: Job; now: number }) {
  const styles = useStyles();
  const p = job.progress;
  const fraction = p && p.total !== null && p.total > 0 ? Math.min(1, p.done / p.total) : undefined;
  const state = STATE[job.state];
  const elapsed = (job.endedAt ?? now) - job.startedAt;
  return (
    <li className={styles.row} aria-label={`${job.title}: ${state.text}`}>
      <span className={styles.icon} title={KIND_LABELS[job.kind]}>
        <JobIcon kind={job.kind} />
      </span>
      <div className={styles.head}>
        <Text className={styles.title} title={job.title}>
          {job.title}
        </Text>
        <Badge appearance="tint" color={state.color} size="medium">
          {state.text}
        </Badge>
      </div>
      {job.cancel ? (
        <Button size="small" icon={<Dismiss20Regular />} onClick={job.cancel} aria-label={`Cancel ${job.title}`}>
          Cancel
        </Button>
      ) : (
        <Text size={200} className={styles.label}>
          {formatDuration(elapsed)}
        </Text>
      )}
      <div className={styles.body}>
        {job.state === 'running' && (
          <>
            <ProgressBar value={fraction} thickness="large" aria-label={`Progress of ${job.title}`} aria-valuetext={fraction === undefined ? 'Working' : `${Math.round(fraction * 100)}%`} />
            <div className={styles.figures}>
              {p ? <Text size={200}>{formatDone(p.done, p.total, p.unit)}</Text> : <Text size={200}>Starting…</Text>}
              {fraction !== undefined && <Text size={200}>{Math.floor(fraction * 100)}%</Text>}
              {p && job.rate !== null && job.rate > 0 && <Text size={200}>{formatRate(job.rate, p.unit)}</Text>}
              {job.etaMs !== null && <Text size={200}>{formatDuration(job.etaMs)} left</Text>}
              <Text size={200}>{formatDuration(elapsed)} elapsed</Text>
            </div>
            {p?.label && (
              <Text size={200} className={styles.label} title={p.label}>
                {p.label}
              </Text>
            )}
          </>
        )}
        {job.report && (
          <>
            <Text>{job.report.summary}</Text>
            <JobReportView report={job.report} />
          </>
        )}
        {/* The job keeps the error's serialized shape; ErrorMessage takes the error itself. */}
        {job.error && job.state !== 'cancelled' && <ErrorMessage error={deserializeError(job.error)} />}
        {job.state === 'cancelled' && <Text size={200} className={styles.label}>{job.error?.message ?? 'Cancelled; what it had done so far was kept or undone as the operation allows.'}</Text>}
      </div>
    </li>
  );
}
