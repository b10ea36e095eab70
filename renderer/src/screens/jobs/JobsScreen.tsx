/**
 * Every long call of this window (imports, indexing, exports, backups, checks, moves): running
 * ones with their bars and Cancel, finished ones with their reports, until cleared. They live
 * in the JobStore, so they survive moving between screens.
 */
import { Button, Text, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowImport20Regular, Broom20Regular, TaskListLtr20Regular } from '@fluentui/react-icons';
import { useNavigation } from '../../app/navigation';
import { useJobStore, useJobs } from '../../jobs/JobsContext';
import { JobList } from './JobList';

const useStyles = makeStyles({
  flat: { margin: 0 },
  page: { display: 'flex', flexDirection: 'column', minHeight: '100%' },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexWrap: 'wrap',
  },
  counts: { color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums' },
  spacer: { flexGrow: 1 },
  empty: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    textAlign: 'center',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXXL} ${tokens.spacingHorizontalL}`,
    color: tokens.colorNeutralForeground2,
    maxWidth: '520px',
    margin: '0 auto',
  },
  emptyIcon: { color: tokens.colorNeutralForeground3, transform: 'scale(2)', margin: tokens.spacingVerticalL },
});

export function JobsScreen() {
  const styles = useStyles();
  const jobs = useJobs();
  const store = useJobStore();
  const nav = useNavigation();
  const running = jobs.filter((j) => j.state === 'running').length;
  const finished = jobs.length - running;
  return (
    <section className={styles.page} aria-labelledby="jobs-title">
      <div className={styles.header}>
        <Title3 as="h2" id="jobs-title" className={styles.flat}>
          Jobs
        </Title3>
        {jobs.length > 0 && (
          <Text className={styles.counts}>
            {running} running · {finished} finished
          </Text>
        )}
        <span className={styles.spacer} />
        <Button icon={<Broom20Regular />} disabled={finished === 0} onClick={() => store.clearFinished()}>
          Clear finished
        </Button>
      </div>
      {jobs.length === 0 ? (
        <div className={styles.empty}>
          <TaskListLtr20Regular className={styles.emptyIcon} aria-hidden />
          <Text size={400} weight="semibold">
            No jobs yet
          </Text>
          <Text>Imports, indexing, exports, backups, checks and database moves you start appear here with their progress, and keep their reports when they finish.</Text>
          <Button appearance="primary" icon={<ArrowImport20Regular />} onClick={() => nav.go('import')}>
            Import NZB files
          </Button>
        </div>
      ) : (
        <JobList jobs={jobs} label="Jobs" />
      )}
    </section>
  );
}
