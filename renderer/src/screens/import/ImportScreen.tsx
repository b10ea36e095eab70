/**
 * Import: which collection, then NZB files, a folder of NZBs, or a local folder to index; or a
 * drop anywhere on the window. The imports of this window are listed below with their bars
 * and reports (all jobs are on the Jobs screen).
 */
import { Button, Card, Skeleton, SkeletonItem, Text, Title3, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowImport20Regular, TaskListLtr20Regular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useCollections } from '../../hooks/catalog';
import type { ImportTarget } from '../../hooks/importing';
import { useJobs } from '../../jobs/JobsContext';
import { JobList } from '../jobs/JobList';
import { CollectionPicker } from './CollectionPicker';
import { ImportActions } from './ImportActions';
import { DEFAULT_NZB_COLLECTION, initialTarget, useLastTarget } from './import-target';

const useStyles = makeStyles({
  flat: { margin: 0 },
  heading: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}`, maxWidth: '1200px' },
  intro: { color: tokens.colorNeutralForeground2 },
  drop: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground2,
  },
  section: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, marginTop: tokens.spacingVerticalS },
  spacer: { flexGrow: 1 },
  jobs: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, overflow: 'hidden' },
  none: { color: tokens.colorNeutralForeground3 },
});

const IMPORT_KINDS = new Set(['import', 'upload', 'index']);

export function ImportScreen() {
  const styles = useStyles();
  const nav = useNavigation();
  const collections = useCollections();
  const last = useLastTarget();
  const [target, setTarget] = useState<ImportTarget | null>(null);
  const jobs = useJobs().filter((j) => IMPORT_KINDS.has(j.kind));
  useEffect(() => {
    if (collections.data) setTarget((t) => (t && (t.kind === 'new' || collections.data.some((c) => c.id === t.id)) ? t : initialTarget(last, collections.data, 'nzb', DEFAULT_NZB_COLLECTION)));
  }, [collections.data, last]);
  return (
    <section className={styles.page} aria-labelledby="import-title">
      <div className={styles.heading}>
        <Title3 as="h2" id="import-title" className={styles.flat}>
          Import
        </Title3>
        <Text as="p" className={mergeClasses(styles.intro, styles.flat)}>
          Add NZB files to a collection, or index a folder on disk. Long imports run as jobs: you can keep browsing while they run.
        </Text>
      </div>
      <Card>
        {collections.error ? (
          <ErrorMessage error={collections.error} onRetry={() => void collections.refetch()} />
        ) : target ? (
          <CollectionPicker collections={collections.data ?? []} value={target} onChange={setTarget} label="NZB files go into" newName={DEFAULT_NZB_COLLECTION} />
        ) : (
          <Skeleton aria-label="Loading collections">
            <SkeletonItem size={32} />
          </Skeleton>
        )}
      </Card>
      <ImportActions target={target} />
      <div className={styles.drop}>
        <ArrowImport20Regular aria-hidden />
        <Text>Or drop .nzb / .nzb.gz files, or folders holding them, anywhere on this window.</Text>
      </div>
      <div className={styles.section}>
        <Text as="h3" size={400} weight="semibold" className={styles.flat}>
          Imports in this window
        </Text>
        <span className={styles.spacer} />
        <Button appearance="subtle" icon={<TaskListLtr20Regular />} onClick={() => nav.go('jobs')}>
          All jobs
        </Button>
      </div>
      {jobs.length > 0 ? (
        <div className={styles.jobs}>
          <JobList jobs={jobs} label="Imports" />
        </div>
      ) : (
        <Text className={styles.none}>Nothing imported yet in this window. Imports you start appear here with their progress and, when they finish, what was imported, what was already there and what failed.</Text>
      )}
    </section>
  );
}
