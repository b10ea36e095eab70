/** Says so while the database process restarts or the host is unreachable, and when it is back. */
import { MessageBar, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { DbStatus } from './use-db-status';

export function ConnectionBanner({ status }: { status: DbStatus }) {
  if (status.state === 'ready') return null;
  const restarting = status.state === 'restarting' || status.state === 'starting';
  return (
    <MessageBar intent={restarting ? 'warning' : 'error'} layout="multiline" role="status">
      <MessageBarBody>
        <MessageBarTitle>{restarting ? 'Reconnecting to the catalog' : 'The catalog is not available'}</MessageBarTitle>
        {status.detail ?? (restarting ? 'The database process is restarting; what you see will refresh by itself.' : 'The database process stopped.')}
      </MessageBarBody>
      {restarting && <Spinner size="tiny" aria-label="Reconnecting" />}
    </MessageBar>
  );
}
