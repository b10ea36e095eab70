/** A yes/no question before something that cannot be undone, saying exactly what it removes. */
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The action runs: neither button acts, and the dialog stays until it ends. */
  busy?: boolean;
  /** False while the question is still being worked out (what a selection holds): only Cancel acts. */
  ready?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel, busy = false, ready = true, onConfirm, onCancel }: ConfirmDialogProps) {
  // The buttons are never `disabled`, only `disabledFocusable` (aria-disabled): a modal dialog
  // must hold a focusable element from its first frame. With none, Fluent focuses the surface
  // itself, and Tabster, which activates a modal only when focus lands inside it, leaves this
  // one inactive and marks it aria-hidden: the dialog stays on screen, gone for screen readers
  // and the keyboard. A disabled button that had focus would also drop it to the page.
  return (
    <Dialog open={open} modalType="alert" onOpenChange={(_, d) => !d.open && !busy && onCancel()}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{title}</DialogTitle>
          <DialogContent>{children}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onCancel} disabledFocusable={busy}>
              Cancel
            </Button>
            <Button appearance="primary" onClick={onConfirm} disabledFocusable={busy || !ready} icon={busy ? <Spinner size="tiny" /> : undefined}>
              {confirmLabel}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
