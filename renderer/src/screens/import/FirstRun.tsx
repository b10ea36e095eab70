/**
 * What an empty catalog shows: what to do first. Import NZBs (pick or drop), index a folder,
 * or open a generated sample catalog to look around. The library shows this while the catalog
 * has no collection.
 */
import { Button, Card, Divider, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { Sparkle20Regular } from '@fluentui/react-icons';
import { formatCount } from '../../../../shared/format';
import { SAMPLE_DEFAULT_SEGMENTS } from '../../../../shared/ipc/app-schemas';
import { useNavigation } from '../../app/navigation';
import { useImportJobs } from '../../hooks/importing';
import { useJobs } from '../../jobs/JobsContext';
import { JobList } from '../jobs/JobList';
import { ImportActions } from './ImportActions';
import { DEFAULT_NZB_COLLECTION } from './import-target';

const useStyles = makeStyles({
  heading: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`, maxWidth: '1100px', margin: '0 auto' },
  lead: { color: tokens.colorNeutralForeground2, maxWidth: '720px' },
  sample: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
  sampleText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, flexGrow: 1, minWidth: '240px' },
  muted: { color: tokens.colorNeutralForeground2 },
  icon: { color: tokens.colorBrandForeground1 },
  jobs: { border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, overflow: 'hidden' },
});

export function FirstRun() {
  const styles = useStyles();
  const jobs = useImportJobs();
  const nav = useNavigation();
  const running = useJobs().filter((j) => j.state === 'running' || j.state === 'failed');
  return (
    <section className={styles.page} aria-labelledby="first-run-title">
      <div className={styles.heading}>
        <Title2 as="h2" id="first-run-title">
          Welcome to Strata
        </Title2>
        <Text as="p" className={styles.lead}>
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
          <Button onClick={() => jobs.openSample((c) => nav.openInLibrary({ collectionId: c.id }))}>Open a sample catalog</Button>
        </div>
      </Card>
      {running.length > 0 && (
        <div className={styles.jobs}>
          <JobList jobs={running} label="Jobs" />
        </div>
      )}
    </section>
  );
}
