/**
 * After a move: go back to the previous store (refused when the catalog changed since, with
 * the forced option and what it would lose), or remove it and get its space back.
 */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { ArrowUndo20Regular, Delete20Regular } from '@fluentui/react-icons';
import { useState } from 'react';
import { formatBytes } from '../../../../shared/format';
import type { ManagerStatus } from '../../../../shared/manager';
import { isStrataError } from '../../../../shared/errors';
import { useNotify } from '../../errors/notify';
import { useRemovePrevious, useRollback } from '../../hooks/database';
import { describeStore } from './tier-options';
import { useWizardStyles } from './wizard-styles';

export function PreviousStore({ status }: { status: ManagerStatus }) {
  const w = useWizardStyles();
  const notify = useNotify();
  const rollback = useRollback();
  const remove = useRemovePrevious();
  const [forceOpen, setForceOpen] = useState(false);
  const [removeOpen, setRemoveOpen] = useState(false);
  const previous = status.previous;
  if (!previous) return null;
  const name = describeStore(previous);
  const size = status.previousBytes === null ? 'its space on the server' : formatBytes(status.previousBytes);
  const back = (force: boolean): void =>
    rollback.mutate(force ? { force } : {}, {
      onSuccess: (store) => {
        setForceOpen(false);
        notify.success('Rolled back', `The catalog is on ${describeStore(store)} again.`);
      },
      onError: (e) => {
        if (isStrataError(e, 'conflict')) setForceOpen(true);
        else notify.error(e);
      },
    });
  const conflict = rollback.error && isStrataError(rollback.error, 'conflict') ? rollback.error : null;
  return (
    <section className={w.section} aria-labelledby="previous-title">
      <Text className={w.heading} as="h2" id="previous-title" weight="semibold" size={400}>
        The previous store: {name}
      </Text>
      <Text>
        {status.rollbackSafe
          ? 'Nothing changed since the move: going back loses nothing.'
          : 'The catalog changed since the move (imports or edits); the previous store does not have those changes.'}{' '}
        It takes {size}.
      </Text>
      {conflict && !forceOpen && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Not rolled back</MessageBarTitle>
            The catalog changed since the move, and {name} does not have those changes. Nothing was lost; roll back again to choose whether to give them up.
          </MessageBarBody>
        </MessageBar>
      )}
      <div className={w.actions}>
        <Button icon={<ArrowUndo20Regular />} disabled={rollback.isPending} onClick={() => back(false)}>
          Roll back to {name}
        </Button>
        <Button icon={<Delete20Regular />} disabled={remove.isPending} onClick={() => setRemoveOpen(true)}>
          Remove the previous store ({size})
        </Button>
      </div>

      <Dialog open={forceOpen} onOpenChange={(_, d) => setForceOpen(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Roll back anyway?</DialogTitle>
            <DialogContent className={w.paragraphs}>
              {/* The manager's own message names CLI flags; the dialog says the same in the app's words. */}
              <Text as="p" block>
                The catalog changed after the move (imports or edits), and {name} does not have those changes: going back would lose them.
              </Text>
              <Text as="p" block>
                Rolling back anyway makes {name} the catalog again as it was at the move: every import, rename or deletion made since is lost. To keep them, move the catalog to {name} with the wizard instead.
              </Text>
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button appearance="primary">Keep the changes</Button>
              </DialogTrigger>
              <Button onClick={() => back(true)} disabled={rollback.isPending}>
                Roll back and lose them
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>

      <Dialog open={removeOpen} onOpenChange={(_, d) => setRemoveOpen(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Remove the previous store?</DialogTitle>
            <DialogContent>
              <Text as="p" block>
                This deletes {name} ({size}) from {previous.server ? 'the server' : 'the data folder'}. The catalog itself is not touched, but you can no longer roll back to it.
              </Text>
            </DialogContent>
            <DialogActions>
              <DialogTrigger disableButtonEnhancement>
                <Button>Keep it</Button>
              </DialogTrigger>
              <Button
                appearance="primary"
                disabled={remove.isPending}
                // mutateAsync: this section leaves the screen as soon as the store is gone (the status
                // refreshes first), and the confirmation with the space freed must still be said.
                onClick={() =>
                  void remove.mutateAsync({}).then(
                    () => {
                      setRemoveOpen(false);
                      notify.success('Previous store removed', status.previousBytes === null ? undefined : `${formatBytes(status.previousBytes)} freed.`);
                    },
                    (e: unknown) => {
                      setRemoveOpen(false);
                      notify.error(e);
                    },
                  )
                }
              >
                Remove it
              </Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </section>
  );
}
