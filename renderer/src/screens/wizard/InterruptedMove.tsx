/** A move that stopped before its switch (paused, a full disk, or Strata closed mid-move): resume or discard it. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { ManagerStatus } from '../../../../shared/manager';
import { useNotify } from '../../errors/notify';
import { useDiscardMove, useStartMove } from '../../hooks/database';
import { describeStore } from './tier-options';

// The discard's answer arrives after this banner has left (the status refreshes first): mutateAsync still hears it.
export function InterruptedMove({ interrupted, shards }: { interrupted: NonNullable<ManagerStatus['interrupted']>; shards: number | null }) {
  const notify = useNotify();
  const start = useStartMove();
  const discard = useDiscardMove();
  const to = interrupted.to;
  const resumable = to.server !== 'existing';
  // A cancel's own words ("Reading files was cancelled") only repeat "paused"; a full disk's say what to do.
  const reason = interrupted.reason && !/cancel/iu.test(interrupted.reason) ? interrupted.reason.replace(/\.$/u, '') : null;
  return (
    <MessageBar intent="warning" layout="multiline" aria-label="Interrupted move">
      <MessageBarBody>
        <MessageBarTitle>A move to {describeStore(to)} did not finish</MessageBarTitle>
        {interrupted.paused ? 'It is paused at its last checkpoint' : 'Strata stopped while it ran'}
        {reason ? ` (${reason})` : ''}. Resuming continues from there; discarding removes the partial copy. The current store was never changed.
        {!resumable && ' A move to an existing server resumes from the wizard with the same connection string.'}
      </MessageBarBody>
      <MessageBarActions>
        {resumable && (
          <Button appearance="primary" size="small" onClick={() => start({ to: to.engine, ...(to.engine === 'sharded' && shards ? { shards } : {}) })}>
            Resume
          </Button>
        )}
        <Button size="small" disabled={discard.isPending} onClick={() => void discard.mutateAsync({}).then(() => notify.success('Partial copy removed'), (e: unknown) => notify.error(e))}>
          Discard
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
