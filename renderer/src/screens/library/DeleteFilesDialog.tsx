/** Asks before files leave the catalog, saying which and how much (read before asking). */
import { Spinner } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { FileEntry } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../../../shared/format';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { useDeleteFiles } from '../../hooks/library';
import { ConfirmDialog } from './ConfirmDialog';
import type { Selection } from './selection';

export interface DeleteFilesDialogProps {
  selection: Selection;
  resolve: (selection: Selection) => Promise<FileEntry[]>;
  onClose: () => void;
}

export function DeleteFilesDialog({ selection, resolve, onClose }: DeleteFilesDialogProps) {
  const [rows, setRows] = useState<FileEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const remove = useDeleteFiles();
  const notify = useNotify();
  // The rows of the selection as it was when the dialog opened, read once.
  const [resolveOnce] = useState(() => resolve);
  useEffect(() => {
    let live = true;
    resolveOnce(selection).then(
      (r) => live && setRows(r),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [selection, resolveOnce]);
  const segments = rows?.reduce((n, r) => n + r.segmentCount, 0) ?? 0;
  const bytes = rows?.reduce((n, r) => n + r.size, 0) ?? 0;
  const title = rows?.length === 1 ? `Delete “${rows[0]?.name}”?` : `Delete ${rows ? formatCount(rows.length) : ''} files?`;
  return (
    <ConfirmDialog
      open
      title={rows ? title : 'Delete files?'}
      confirmLabel={rows?.length === 1 ? 'Delete file' : 'Delete files'}
      busy={remove.isPending}
      ready={rows !== null}
      onCancel={onClose}
      onConfirm={() => {
        if (!rows || remove.isPending) return;
        remove.mutate(
          rows.map((r) => r.id),
          {
            onSuccess: () => {
              notify.success(rows.length === 1 ? 'File deleted' : `${formatCount(rows.length)} files deleted`, `${formatCount(segments)} segments left the catalog.`);
              onClose();
            },
            onError: (e) => setError(e),
          },
        );
      }}
    >
      {error !== null ? (
        <ErrorMessage error={error} />
      ) : rows === null ? (
        <Spinner size="tiny" label="Reading what is selected…" />
      ) : (
        <>
          This removes {rows.length === 1 ? 'this file' : `these ${formatCount(rows.length)} files`} from the catalog: {formatCount(segments)} segments ({formatBytes(bytes)}) and
          their message-ids. Files on disk and posts on Usenet are not touched.
          {rows.length > 1 && rows.length <= 5 && (
            <ul>
              {rows.map((r) => (
                <li key={r.id}>{r.name}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </ConfirmDialog>
  );
}
