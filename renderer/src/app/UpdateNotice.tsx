/**
 * The banner area's word on the app's own updates (desktop only; a browser has no updates
 * bridge and sees nothing): a download in progress, then "Strata X.Y.Z is ready" with Restart
 * to update and Later. Nothing restarts unless the user clicks; a restart refused (a move
 * between tiers is running) says why, in the notice, and the update waits.
 */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { SerializedError } from '../../../shared/errors';
import { updateNotice, type UpdateState } from '../../../shared/ipc/updates';
import { useDesktop } from '../api/ApiContext';

const useStyles = makeStyles({
  banner: { marginTop: tokens.spacingVerticalS },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, minWidth: 0 },
  bar: { width: '100%', maxWidth: '520px' },
  refusal: { color: tokens.colorPaletteRedForeground1 },
});

export function UpdateNotice() {
  const styles = useStyles();
  const updates = useDesktop()?.updates ?? null;
  const [state, setState] = useState<UpdateState | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [restarting, setRestarting] = useState(false);
  const [refusal, setRefusal] = useState<SerializedError | null>(null);

  useEffect(() => {
    if (!updates) return;
    let live = true;
    // Subscribed before asking, so a change between the two is not lost.
    const stop = updates.onState((s) => {
      setState(s);
      setRefusal(null);
    });
    updates.state().then(
      (s) => live && setState((seen) => seen ?? s),
      () => undefined,
    );
    return () => {
      live = false;
      stop();
    };
  }, [updates]);

  const notice = state && updateNotice(state, dismissed);
  if (!updates || !notice) return null;

  const restart = (): void => {
    setRestarting(true);
    setRefusal(null);
    updates.restart().then(
      (answer) => {
        // On success the app is quitting; the notice goes with the window.
        if (!answer.ok) {
          setRefusal(answer.error);
          setRestarting(false);
        }
      },
      (error: unknown) => {
        setRefusal({ name: 'StrataError', code: 'internal', message: error instanceof Error ? error.message : String(error) });
        setRestarting(false);
      },
    );
  };

  return (
    <MessageBar className={styles.banner} intent={notice.intent} layout="multiline" role="status">
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>{notice.title}</MessageBarTitle>
        {notice.body}
        {notice.percent !== null && <ProgressBar className={styles.bar} value={notice.percent / 100} aria-label={`${notice.percent}% downloaded`} />}
        {refusal && <span className={styles.refusal}>{refusal.message}</span>}
      </MessageBarBody>
      <MessageBarActions>
        {notice.restart && (
          <Button appearance="primary" size="small" disabled={restarting} onClick={restart}>
            {restarting ? 'Restarting…' : 'Restart to update'}
          </Button>
        )}
        <Button size="small" disabled={restarting} onClick={() => setDismissed(notice.key)}>
          Later
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
