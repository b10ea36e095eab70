/** The context menu of a collection in the tree: rename, export as NZB, delete (with a confirm). */
import { LIMITS } from '../../../../shared/limits';
import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Menu, MenuItem, MenuList, MenuPopover, MenuTrigger } from '@fluentui/react-components';
import { ArrowExportUp20Regular, Delete20Regular, Rename20Regular } from '@fluentui/react-icons';
import { useState, type ReactElement } from 'react';
import type { Collection } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { useNotify } from '../../errors/notify';
import { useDeleteCollection, useExportNzb, useRenameCollection } from '../../hooks/library';
import { ConfirmDialog } from './ConfirmDialog';

export function CollectionMenu({ collection, children }: { collection: Collection; children: ReactElement }) {
  const [dialog, setDialog] = useState<'rename' | 'delete' | null>(null);
  const exportNzb = useExportNzb();
  const notify = useNotify();
  const onExport = (): void => {
    exportNzb({ collectionId: collection.id, path: '', name: collection.name, files: collection.fileCount }).catch((e: unknown) => notify.error(e));
  };
  return (
    <>
      <Menu openOnContext>
        <MenuTrigger disableButtonEnhancement>{children}</MenuTrigger>
        <MenuPopover>
          <MenuList>
            <MenuItem icon={<Rename20Regular />} onClick={() => setDialog('rename')}>
              Rename…
            </MenuItem>
            <MenuItem icon={<ArrowExportUp20Regular />} onClick={onExport}>
              Export as NZB
            </MenuItem>
            <MenuItem icon={<Delete20Regular />} onClick={() => setDialog('delete')}>
              Delete…
            </MenuItem>
          </MenuList>
        </MenuPopover>
      </Menu>
      {dialog === 'rename' && <RenameDialog collection={collection} onClose={() => setDialog(null)} />}
      {dialog === 'delete' && <DeleteCollectionDialog collection={collection} onClose={() => setDialog(null)} />}
    </>
  );
}

function RenameDialog({ collection, onClose }: { collection: Collection; onClose: () => void }) {
  const [name, setName] = useState(collection.name);
  const rename = useRenameCollection();
  const notify = useNotify();
  const trimmed = name.trim();
  const submit = (): void => {
    if (!trimmed || trimmed === collection.name) return onClose();
    rename.mutate(
      { id: collection.id, name: trimmed },
      {
        onSuccess: () => {
          notify.success('Collection renamed', `“${collection.name}” is now “${trimmed}”.`);
          onClose();
        },
        onError: (e) => notify.error(e),
      },
    );
  };
  return (
    <Dialog open onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <DialogBody>
            <DialogTitle>Rename collection</DialogTitle>
            <DialogContent>
              <Field label="Name" validationMessage={trimmed ? undefined : 'A collection needs a name.'}>
                <Input value={name} onChange={(_, d) => setName(d.value)} autoFocus maxLength={LIMITS.collectionName} />
              </Field>
            </DialogContent>
            <DialogActions>
              <Button onClick={onClose}>Cancel</Button>
              <Button appearance="primary" type="submit" disabled={!trimmed || rename.isPending}>
                Rename
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}

function DeleteCollectionDialog({ collection, onClose }: { collection: Collection; onClose: () => void }) {
  const remove = useDeleteCollection();
  const notify = useNotify();
  return (
    <ConfirmDialog
      open
      title={`Delete “${collection.name}”?`}
      confirmLabel="Delete collection"
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() =>
        remove.mutate(
          { id: collection.id },
          {
            onSuccess: () => {
              notify.success('Collection deleted', `“${collection.name}” was removed from the catalog.`);
              onClose();
            },
            onError: (e) => {
              notify.error(e);
              onClose();
            },
          },
        )
      }
    >
      This removes the collection from the catalog: {formatCount(collection.fileCount)} files, {formatCount(collection.segmentCount)} segments (
      {formatBytes(collection.bytes)}) and their message-ids. Files on disk and posts on Usenet are not touched.
    </ConfirmDialog>
  );
}
