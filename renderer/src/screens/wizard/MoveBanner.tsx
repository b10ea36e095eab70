/**
 * The banner area's word on moves, on every screen: a move in progress (started by the user or
 * by the manager) with its bar and Cancel; a move that was interrupted; and a recommendation
 * that waits for the user's consent, which opens the wizard. On the wizard itself the move is
 * shown in full, so only the recommendation notice is left out there too.
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Recommendation } from '../../../../shared/manager';
import { useEvent } from '../../api/ApiContext';
import { useNavigation } from '../../app/navigation';
import { useNotify } from '../../errors/notify';
import { useCancelMove, useMoveProgress } from '../../hooks/database';
import { useManagerStatus } from '../../hooks/manager';
import { MoveJobTracker } from './MoveJobTracker';
import { moveBannerState, moveTitle } from './move-banner-state';
import { PHASE_LABELS, formatDuration, formatPercent, overallFraction } from './move-progress';
import { describeStore } from './tier-options';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  bar: { width: '100%', maxWidth: '520px' },
  figures: { fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2 },
  banner: { marginTop: tokens.spacingVerticalS },
});

export function MoveBanner() {
  const styles = useStyles();
  const nav = useNavigation();
  const notify = useNotify();
  const status = useManagerStatus().data;
  const progress = useMoveProgress(status?.move ?? null);
  const cancel = useCancelMove();
  const [heard, setHeard] = useState<Recommendation | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  useEvent('manager/recommendation', setHeard);
  useEvent('migration/ended', () => setHeard(null));

  const shown = moveBannerState({ onWizard: nav.screen === 'upgrade', status, progress, heard, dismissed });

  return (
    <>
      <MoveJobTracker />
      {shown.kind === 'moving' && (
        <MessageBar intent="info" layout="multiline" className={styles.banner}>
          <MessageBarBody className={styles.body}>
            <MessageBarTitle>{moveTitle(shown.progress)}</MessageBarTitle>
            <span className={styles.figures}>
              {PHASE_LABELS[shown.progress.phase]}
              {shown.progress.table ? ` · ${shown.progress.table}` : ''} · {formatPercent(overallFraction(shown.progress))}
              {shown.progress.etaMs !== null && shown.progress.etaMs > 0 ? ` · ${formatDuration(shown.progress.etaMs)} left` : ''} · Browsing works; changes wait until it ends.
            </span>
            <ProgressBar className={styles.bar} value={overallFraction(shown.progress)} max={1} thickness="large" aria-label="Move progress" />
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => nav.go('upgrade')}>
              Details
            </Button>
            <Button size="small" disabled={cancel.isPending} onClick={() => cancel.mutate({}, { onError: (e) => notify.error(e), onSuccess: () => notify.success('Move paused', 'It stopped at its last checkpoint; resume it from Upgrade database.') })}>
              Cancel
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {shown.kind === 'interrupted' && (
        <MessageBar intent="warning" layout="multiline" className={styles.banner}>
          <MessageBarBody>
            <MessageBarTitle>A move to {describeStore(shown.interrupted.to)} did not finish</MessageBarTitle>
            {shown.interrupted.paused ? 'It is paused at its last checkpoint.' : 'Strata stopped while it ran.'} Resume it, or discard the partial copy.
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={() => nav.go('upgrade')}>
              Resume or discard…
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {shown.kind === 'consent' && (
        <MessageBar intent="info" layout="multiline" className={styles.banner}>
          <MessageBarBody>
            <MessageBarTitle>Strata recommends moving the catalog to {describeStore(shown.recommendation.target)}</MessageBarTitle>
            {shown.recommendation.reasons[0] ?? ''}
            {shown.recommendation.blockedBy ? ` It cannot start now: it ${shown.recommendation.blockedBy}.` : ''}
          </MessageBarBody>
          <MessageBarActions>
            <Button size="small" appearance="primary" onClick={() => nav.go('upgrade')}>
              Review the move…
            </Button>
            <Button size="small" appearance="transparent" onClick={() => setDismissed(shown.key)}>
              Not now
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}
    </>
  );
}
