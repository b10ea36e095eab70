/**
 * Index a folder: which folder (chosen in the desktop app's dialog, or typed as a path on the
 * host's machine in a browser, where the host refuses folders it was not allowed to read) and
 * which collection, with the segment size from Settings.
 */
import { Button, MessageBar, MessageBarBody, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { formatBytes } from '../../../../shared/format';
import { usePreferences } from '../../app/preferences';
import { useCollections } from '../../hooks/catalog';
import { baseName, useAppInfo, type ImportTarget } from '../../hooks/importing';
import { CollectionPicker, targetReady } from './CollectionPicker';

const useStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  hint: { color: tokens.colorNeutralForeground3 },
  roots: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

export function IndexFolderDialog({
  open,
  root: givenRoot,
  browser,
  onCancel,
  onStart,
}: {
  open: boolean;
  /** The folder chosen in the desktop dialog; null in a browser (typed here). */
  root: string | null;
  browser: boolean;
  onCancel: () => void;
  onStart: (target: ImportTarget, root: string) => void;
}) {
  const styles = useStyles();
  const collections = useCollections();
  const host = useAppInfo();
  const roots = browser ? (host.data?.importRoots ?? null) : null;
  const { segmentBytes } = usePreferences();
  const [root, setRoot] = useState('');
  const [target, setTarget] = useState<ImportTarget | null>(null);
  useEffect(() => {
    if (!open) return;
    setRoot(givenRoot ?? '');
    setTarget(givenRoot ? { kind: 'new', name: baseName(givenRoot) } : null);
  }, [open, givenRoot]);
  const list = collections.data ?? [];
  const trimmed = root.trim();
  // In a browser the collection follows the typed folder's name until the user picks one.
  const effective: ImportTarget = target ?? { kind: 'new', name: trimmed ? baseName(trimmed) : 'Local files' };
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onCancel()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>Index a folder</DialogTitle>
          <DialogContent className={styles.content}>
            <Text>Strata walks the folder, records every file and splits it into {formatBytes(segmentBytes)} segments, hashing each one. Indexing it again later reads only what changed.</Text>
            {browser ? (
              <Field label="Folder on the host’s machine" hint="A full path, such as /srv/photos or D:\Photos. The host indexes only folders it was started with (strata serve --allow)." required>
                <Input value={root} onChange={(_, d) => setRoot(d.value)} placeholder="/path/to/folder" autoFocus />
              </Field>
            ) : null}
            {browser && roots !== null && roots.length === 0 && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>This host was started without folders to read, so it cannot index any. Start it again with strata serve --allow &lt;folder&gt;.</MessageBarBody>
              </MessageBar>
            )}
            {browser && roots !== null && roots.length > 0 && (
              <div className={styles.roots} role="group" aria-label="Folders this host may read">
                <Text size={200} className={styles.hint}>
                  This host may read:
                </Text>
                {roots.map((r) => (
                  <Button key={r} size="small" appearance={root === r ? 'primary' : 'secondary'} onClick={() => setRoot(r)}>
                    {r}
                  </Button>
                ))}
              </div>
            )}
            {browser ? null : (
              <Field label="Folder">
                <Input value={root} readOnly />
              </Field>
            )}
            <CollectionPicker collections={list.filter((c) => c.source === 'local')} value={effective} onChange={setTarget} newName={trimmed ? baseName(trimmed) : 'Local files'} />
            <Text size={200} className={styles.hint}>
              The segment size is set in Settings.
            </Text>
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={trimmed === '' || !targetReady(effective)} onClick={() => onStart(effective, trimmed)}>
              Index
            </Button>
            <Button onClick={onCancel}>Cancel</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
