/** Step 4: the move as it runs: overall and current-table bars, phase, rows, rate, ETA, elapsed; Cancel pauses it. */
import { Button, Field, ProgressBar, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { CheckmarkCircle20Regular, Pause20Regular } from '@fluentui/react-icons';
import { formatBytes, formatCount } from '../../../../shared/format';
import type { MoveProgress } from '../../../../shared/manager';
import { useNotify } from '../../errors/notify';
import { useCatalogStats } from '../../hooks/catalog';
import { useCancelMove } from '../../hooks/database';
import { Figure, Figures } from './Figure';
import { PHASES, PHASE_LABELS, formatDuration, formatPercent, formatRate, overallFraction, tableEstimates, tableFraction } from './move-progress';
import { useWizardStyles } from './wizard-styles';

const useStyles = makeStyles({
  phases: { display: 'flex', gap: tokens.spacingHorizontalXS, listStyleType: 'none', margin: 0, padding: 0, flexWrap: 'wrap' },
  phase: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXXS, color: tokens.colorNeutralForeground3, padding: `0 ${tokens.spacingHorizontalS}` },
  phaseDone: { color: tokens.colorNeutralForeground2 },
  phaseNow: { color: tokens.colorBrandForeground1, fontWeight: tokens.fontWeightSemibold },
  bar: { maxWidth: '720px' },
});

export function ProgressStep({ progress }: { progress: MoveProgress }) {
  const styles = useStyles();
  const w = useWizardStyles();
  const notify = useNotify();
  const cancel = useCancelMove();
  const stats = useCatalogStats().data;
  const overall = overallFraction(progress);
  const table = stats ? tableFraction(progress, tableEstimates(stats)) : null;
  const at = PHASES.indexOf(progress.phase === 'done' ? 'cleanup' : progress.phase);
  return (
    <>
      <ol className={styles.phases} aria-label="Phases">
        {PHASES.map((p, i) => (
          <li key={p} className={mergeClasses(styles.phase, i < at && styles.phaseDone, i === at && styles.phaseNow)} aria-current={i === at ? 'step' : undefined}>
            {i < at && <CheckmarkCircle20Regular aria-hidden />}
            {PHASE_LABELS[p]}
          </li>
        ))}
      </ol>
      <Field className={styles.bar} label={`Overall: ${formatPercent(overall)}`} hint={`${PHASE_LABELS[progress.phase]}${progress.phase === 'copy' ? ` · ${formatCount(progress.rows)} of about ${formatCount(progress.totalRows)} rows` : ''}`}>
        <ProgressBar value={overall} max={1} thickness="large" aria-label="Overall progress" />
      </Field>
      <Field className={styles.bar} label={progress.table ? `Table ${progress.table}${table !== null ? `: ${formatPercent(table)}` : ''}` : 'Current table'}>
        <ProgressBar value={table ?? undefined} max={1} thickness="large" aria-label="Current table progress" />
      </Field>
      <Figures label="Move figures">
        <Figure label="Rows">{formatCount(progress.rows)}</Figure>
        <Figure label="Copied">{formatBytes(progress.bytes)}</Figure>
        <Figure label="Rate">{formatRate(progress.rowsPerSecond)}</Figure>
        <Figure label="Time left">{progress.etaMs === null ? (progress.phase === 'copy' ? 'measuring…' : '—') : formatDuration(progress.etaMs)}</Figure>
        <Figure label="Elapsed">{formatDuration(progress.elapsedMs)}</Figure>
      </Figures>
      <Text className={w.muted}>Browsing and searching work while the catalog moves. Imports and other changes are refused until it ends.</Text>
      <div className={w.actions}>
        <Button
          icon={<Pause20Regular />}
          disabled={cancel.isPending || progress.phase === 'switch' || progress.phase === 'done'}
          onClick={() => cancel.mutate({}, { onError: (e) => notify.error(e) })}
        >
          Cancel (pause at the last checkpoint)
        </Button>
      </div>
    </>
  );
}
