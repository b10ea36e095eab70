/**
 * The banner area's word on moves, on every screen: a move in progress (started by the user or
 * by the manager) with its bar and Cancel; a move that was interrupted; and a recommendation
 * that waits for the user's consent, which opens the wizard. On the wizard itself the move is
 * shown in full, so only the recommendation notice is left out there too.
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { memo, useCallback, useState } from 'react';
import type { Recommendation } from '../../../../shared/manager';
import { useEvent } from '../../api/ApiContext';
import { useNavigation } from '../../app/navigation';
import { useNotify } from '../../errors/notify';
import { useCancelMove, useMoveProgress } from '../../hooks/database';
import { useManagerStatus } from '../../hooks/manager';
import { MoveJobTracker } from './MoveJobTracker';
import { BAR_STEPS, moveBannerState, movingFigures, type MovingFigures } from './move-banner-state';
import { describeStore } from './tier-options';

const useStyles = makeStyles({
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  bar: { width: '100%', maxWidth: '520px' },
  figures: { fontVariantNumeric: 'tabular-nums', color: tokens.colorNeutralForeground2 },
  banner: { marginTop: tokens.spacingVerticalS },
  // Fluent's bar eases its width over 0.3 s at each new value. Width is not an animation the
  // compositor can run: every frame of it restyled, laid out and painted the page on its main
  // thread, the thread the library scrolls on (28 transitions in 40 s of a move in a kept trace,
  // a fifth of its frames). The bar moves by a fraction of a pixel a step: it steps, not eases.
  steadyBar: { transitionProperty: 'none' },
});

interface MovingProps extends MovingFigures {
  cancelling: boolean;
  onDetails: () => void;
  onCancel: () => void;
}

/**
 * The banner of a move in progress. Memoized on what it shows: the move reports its progress
 * several times a second and the status poll adds one a second, while the words and the bar
 * change far less often; an equal rendering is skipped rather than compared element by element.
 */
const MovingBanner = memo(function MovingBanner({ title, figures, barStep, cancelling, onDetails, onCancel }: MovingProps) {
  const styles = useStyles();
  return (
    <MessageBar intent="info" layout="multiline" className={styles.banner}>
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>{title}</MessageBarTitle>
        <span className={styles.figures}>{figures}</span>
        <ProgressBar className={styles.bar} bar={{ className: styles.steadyBar }} value={barStep / BAR_STEPS} max={1} thickness="large" aria-label="Move progress" />
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={onDetails}>
          Details
        </Button>
        <Button size="small" disabled={cancelling} onClick={onCancel}>
          Cancel
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
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

  const { mutate } = cancel;
  // Stable handlers, so the memoized banner skips the renders that change nothing it shows.
  const onDetails = useCallback(() => nav.go('upgrade'), [nav]);
  const onCancel = useCallback(
    () => mutate({}, { onError: (e) => notify.error(e), onSuccess: () => notify.success('Move paused', 'It stopped at its last checkpoint; resume it from Upgrade database.') }),
    [mutate, notify],
  );

  const shown = moveBannerState({ onWizard: nav.screen === 'upgrade', status, progress, heard, dismissed });

  return (
    <>
      <MoveJobTracker />
      {shown.kind === 'moving' && <MovingBanner {...movingFigures(shown.progress)} cancelling={cancel.isPending} onDetails={onDetails} onCancel={onCancel} />}
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
