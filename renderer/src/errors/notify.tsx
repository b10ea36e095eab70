/**
 * Passing messages (a write done, a write refused) as Fluent toasts, in one place. A failed
 * write shows the same title and message as the inline presentation.
 */
import { Toast, ToastBody, ToastTitle, Toaster, makeStyles, useId, useToastController } from '@fluentui/react-components';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { describeError } from './describe-error';

interface Notify {
  success(title: string, body?: string): void;
  error(error: unknown): void;
}

const NotifyContext = createContext<Notify | null>(null);

const useStyles = makeStyles({
  // Every Fluent portal (a dialog, a menu) is a layer at z-index 1,000,000 and the newest one is
  // on top, so a toast raised while a dialog is open would sit under the dialog's dimmed
  // backdrop, unreadable. Toasts get their own layer just above all of them.
  layer: { position: 'fixed', top: 0, left: 0, zIndex: 1_000_001 },
});

export function NotifyProvider({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const [layer, setLayer] = useState<HTMLDivElement | null>(null);
  const toasterId = useId('toaster');
  const { dispatchToast } = useToastController(toasterId);
  const success = useCallback(
    (title: string, body?: string) =>
      dispatchToast(
        <Toast>
          <ToastTitle>{title}</ToastTitle>
          {body && <ToastBody>{body}</ToastBody>}
        </Toast>,
        { intent: 'success', timeout: 4000 },
      ),
    [dispatchToast],
  );
  const error = useCallback(
    (e: unknown) => {
      const view = describeError(e);
      dispatchToast(
        <Toast>
          <ToastTitle>{view.title}</ToastTitle>
          <ToastBody>{view.message}</ToastBody>
        </Toast>,
        { intent: view.intent, timeout: 8000 },
      );
    },
    [dispatchToast],
  );
  const value = useMemo(() => ({ success, error }), [success, error]);
  return (
    <NotifyContext.Provider value={value}>
      {children}
      <div ref={setLayer} className={styles.layer} />
      {layer && <Toaster toasterId={toasterId} position="bottom-end" mountNode={layer} />}
    </NotifyContext.Provider>
  );
}

export function useNotify(): Notify {
  const notify = useContext(NotifyContext);
  if (!notify) throw new Error('useNotify outside NotifyProvider');
  return notify;
}
