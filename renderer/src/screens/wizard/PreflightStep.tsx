/** Step 2: disk needed against free, and the time the measured copy rates give; a refusal said in words. */
import { MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Skeleton, SkeletonItem, Text, makeStyles, tokens } from '@fluentui/react-components';
import { formatBytes, formatCount } from '../../../../shared/format';
import type { Result } from '../../../../shared/ipc/contract';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { Figure, Figures } from './Figure';
import { formatEstimate } from './move-progress';
import { useWizardStyles } from './wizard-styles';

const useStyles = makeStyles({
  meter: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, maxWidth: '560px' },
});

export function PreflightStep({ preflight, error, loading, onRetry }: { preflight: Result<'migration/preflight'> | undefined; error: unknown; loading: boolean; onRetry: () => void }) {
  const styles = useStyles();
  const w = useWizardStyles();
  if (error) return <ErrorMessage error={error} onRetry={onRetry} />;
  if (loading || !preflight) {
    return (
      <Skeleton aria-label="Checking disk space and time">
        <SkeletonItem size={24} />
        <SkeletonItem size={48} />
      </Skeleton>
    );
  }
  const p = preflight;
  const share = p.freeBytes > 0 ? Math.min(1, p.neededBytes / p.freeBytes) : 1;
  return (
    <>
      <Figures label="What the move takes">
        <Figure label="Disk needed here">{p.remote ? 'None (on the server)' : formatBytes(p.neededBytes)}</Figure>
        <Figure label="Free on this disk">{formatBytes(p.freeBytes)}</Figure>
        <Figure label="Time, estimated">{formatEstimate(p.estimateMs)}</Figure>
        <Figure label={p.kind === 'reshard' ? 'Segments to move' : 'Rows to copy'}>{formatCount(p.rows)}</Figure>
        <Figure label="Catalog size now">{formatBytes(p.sourceBytes)}</Figure>
      </Figures>
      {!p.remote && (
        <div className={styles.meter}>
          <Text size={200} className={w.muted} id="disk-share">
            The copy would use {Math.ceil(share * 100)}% of the free space. The current store stays as it is until you remove it.
          </Text>
          <ProgressBar value={share} max={1} color={p.fits ? (share > 0.8 ? 'warning' : 'brand') : 'error'} thickness="large" aria-labelledby="disk-share" />
        </div>
      )}
      {p.notes.length > 0 && (
        <ul className={w.list}>
          {p.notes.map((n) => (
            <li key={n}>
              <Text>{n}</Text>
            </li>
          ))}
        </ul>
      )}
      {p.refusal ? (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This move cannot start now</MessageBarTitle>
            {p.refusal}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <MessageBar intent="success">
          <MessageBarBody>It fits. The time is an estimate from measured copy rates; this machine’s load may change it.</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
