/** A failed call, inline: title, the message, and the details behind a disclosure. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { describeError } from './describe-error';

const useStyles = makeStyles({
  details: {
    margin: `${tokens.spacingVerticalXS} 0 0`,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
  },
});

export function ErrorMessage({ error, onRetry, onDismiss }: { error: unknown; onRetry?: () => void; onDismiss?: () => void }) {
  const view = describeError(error);
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const styles = useStyles();
  return (
    <MessageBar intent={view.intent} layout="multiline" role={view.intent === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>
        <MessageBarTitle>{view.title}</MessageBarTitle>
        {view.message}
        {open && (
          <pre id={detailsId} className={styles.details}>
            {`code: ${view.code}${view.details ? `\n${JSON.stringify(view.details, null, 2)}` : ''}`}
          </pre>
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button size="small" appearance="transparent" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
          {open ? 'Hide details' : 'Details'}
        </Button>
        {onRetry && (
          <Button size="small" onClick={onRetry}>
            Try again
          </Button>
        )}
        {onDismiss && (
          <Button size="small" appearance="transparent" onClick={onDismiss}>
            Dismiss
          </Button>
        )}
      </MessageBarActions>
    </MessageBar>
  );
}
