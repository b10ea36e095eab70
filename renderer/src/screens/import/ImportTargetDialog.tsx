/**
 * Asks where files go before an import starts: after a drop on the window, or for .nzb files
 * opened from Explorer (where the choice can be kept for next time).
 */
import { Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { useCollections } from '../../hooks/catalog';
import type { ImportTarget } from '../../hooks/importing';
import { CollectionPicker, targetReady } from './CollectionPicker';
import { DEFAULT_NZB_COLLECTION, initialTarget, useLastTarget } from './import-target';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, maxHeight: '140px', overflow: 'auto', color: tokens.colorNeutralForeground2 },
});

export interface PendingImport {
  title: string;
  /** Names shown to the user (the first few). */
  names: string[];
  /** A line about what was left out (not NZBs). */
  note?: string;
  /** Offer to keep the choice (files opened from Explorer). */
  offerRemember?: boolean;
}

export function ImportTargetDialog({ pending, onCancel, onImport }: { pending: PendingImport | null; onCancel: () => void; onImport: (target: ImportTarget, remember: boolean) => void }) {
  const styles = useStyles();
  const collections = useCollections();
  const last = useLastTarget();
  const [target, setTarget] = useState<ImportTarget | null>(null);
  const [remember, setRemember] = useState(true);
  const list = collections.data ?? [];
  useEffect(() => {
    if (pending && collections.data) setTarget((t) => t ?? initialTarget(last, collections.data, 'nzb', DEFAULT_NZB_COLLECTION));
    if (!pending) setTarget(null);
  }, [pending, collections.data, last]);
  const shown = pending?.names.slice(0, 8) ?? [];
  return (
    <Dialog open={pending !== null} onOpenChange={(_, d) => !d.open && onCancel()} modalType="modal">
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{pending?.title}</DialogTitle>
          <DialogContent className={styles.content}>
            <ul className={styles.list} aria-label="Files">
              {shown.map((n, i) => (
                <li key={`${i}-${n}`}>{n}</li>
              ))}
              {(pending?.names.length ?? 0) > shown.length && <li>… and {(pending?.names.length ?? 0) - shown.length} more</li>}
            </ul>
            {pending?.note && <Text>{pending.note}</Text>}
            {target && <CollectionPicker collections={list} value={target} onChange={setTarget} newName={DEFAULT_NZB_COLLECTION} />}
            {pending?.offerRemember && (
              <Checkbox checked={remember} onChange={(_, d) => setRemember(d.checked === true)} label="Import .nzb files opened from Explorer into this collection from now on (changeable in Settings)" />
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={!target || !targetReady(target)} onClick={() => target && onImport(target, remember && pending?.offerRemember === true)}>
              Import
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
