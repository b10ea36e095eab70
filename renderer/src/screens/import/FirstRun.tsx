/**
 * What an empty catalog shows: what to do first. Import NZBs (pick or drop), index a folder,
 * or open a generated sample catalog to look around. The library shows this while the catalog
 * has no collection.
 */
import { Button, Card, Divider, Text, Title2, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { Sparkle20Regular } from '@fluentui/react-icons';
import { formatCount } from '../../../../shared/format';
import { SAMPLE_DEFAULT_SEGMENTS } from '../../../../shared/ipc/app-schemas';
import { useNavigation } from '../../app/navigation';
import { SAMPLE_TITLE, useImportJobs } from '../../hooks/importing';
import { useJobs } from '../../jobs/JobsContext';
import { JobList } from '../jobs/JobList';
import { ImportActions } from './ImportActions';
import { DEFAULT_NZB_COLLECTION } from './import-target';

const useStyles = makeStyles({
  flat: { margin: 0 },
  heading: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`, maxWidth: '1100px', margin: '0 auto' },
  lead: { color: tokens.colorNeutralForeground2, maxWidth: '720px' },
  sample: { display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr) auto', alignItems: 'center', columnGap: tokens.spacingHorizontalL },
  sampleText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  muted: { color: tokens.colorNeutralForeground2 },
  icon: { color: tokens.colorBrandForeground1 },
  jobs: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, overflow: 'hidden' },
});

export function FirstRun() {
  const styles = useStyles();
  const jobs = useImportJobs();
  const nav = useNavigation();
  const shown = useJobs().filter((j) => j.state === 'running' || j.state === 'failed');
  const sampling = shown.some((j) => j.state === 'running' && j.title === SAMPLE_TITLE);
  return (
    <section className={styles.page} aria-labelledby="first-run-title">
      <div className={styles.heading}>
        <Title2 as="h2" id="first-run-title" className={styles.flat}>
          Welcome to Strata
        </Title2>
        <Text as="p" className={mergeClasses(styles.lead, styles.flat)}>
          Your catalog is empty. Start by importing NZB files (pick them below, or drop them anywhere on this window), or index a folder on disk. Everything goes into collections you can browse and search.
        </Text>
      </div>
      <ImportActions target={{ kind: 'new', name: DEFAULT_NZB_COLLECTION }} />
      <Divider />
      <Card>
        <div className={styles.sample}>
          <Sparkle20Regular className={styles.icon} aria-hidden />
          <div className={styles.sampleText}>
            <Text weight="semibold">Just looking around?</Text>
            <Text className={styles.muted}>
              Open a generated sample catalog: photo albums, music, RAR releases with PAR2 sets and TV seasons, about {formatCount(SAMPLE_DEFAULT_SEGMENTS)} segments. Delete it whenever you like.
            </Text>
          </div>
          <Button disabled={sampling} onClick={() => jobs.openSample((c) => nav.openInLibrary({ collectionId: c.id }))}>
            Open a sample catalog
          </Button>
        </div>
      </Card>
      {shown.length > 0 && (
        <div className={styles.jobs}>
          <JobList jobs={shown} label="Jobs" />
        </div>
      )}
    </section>
  );
}
