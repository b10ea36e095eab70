/**
 * The whole window takes dropped .nzb / .nzb.gz files and folders of them (folders are walked
 * by react-dropzone's file-selector). While something is dragged over the window an overlay
 * says what a drop does; after the drop the user says which collection the NZBs go into.
 * What is not an NZB is reported and never sent. .nzb files opened from Explorer (desktop app)
 * go into the collection chosen once for them.
 */
import { Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowImport20Regular } from '@fluentui/react-icons';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useDropzone } from 'react-dropzone';
import { StrataError } from '../../../../shared/errors';
import { useDesktop } from '../../api/ApiContext';
import { readPreferences, updatePreferences } from '../../app/preferences';
import { useNotify } from '../../errors/notify';
import { useCollections } from '../../hooks/catalog';
import { useCreateCollection, useImportJobs, type ImportTarget } from '../../hooks/importing';
import { ImportTargetDialog, type PendingImport } from './ImportTargetDialog';
import { rememberTarget } from './import-target';
import { describeRejected, sortDropped } from './nzb-files';

const useStyles = makeStyles({
  root: { height: '100%' },
  overlay: {
    position: 'fixed',
    inset: 0,
    zIndex: 1000,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    backgroundColor: tokens.colorBackgroundOverlay,
    pointerEvents: 'none',
  },
  target: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    gap: tokens.spacingVerticalM,
    padding: `${tokens.spacingVerticalXXXL} 64px`,
    borderRadius: tokens.borderRadiusXLarge,
    border: `2px dashed ${tokens.colorBrandStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow28,
  },
  icon: { color: tokens.colorBrandForeground1, transform: 'scale(2)', marginBottom: tokens.spacingVerticalS },
});

/** A File as file-selector hands it over: with its path inside the dropped folder. */
type DroppedFile = File & { path?: string; relativePath?: string };
const pathOf = (f: DroppedFile): string => (f.relativePath || f.path || f.name).replace(/^\.?\//u, '');

interface Held extends PendingImport {
  files: File[];
  paths: string[] | null;
  skipped: { name: string; reason: string }[];
}

export function ImportDropZone({ children }: { children: ReactNode }) {
  const styles = useStyles();
  const jobs = useImportJobs();
  const notify = useNotify();
  const desktop = useDesktop();
  const collections = useCollections();
  const [held, setHeld] = useState<Held | null>(null);
  const create = useCreateCollection();

  const onDrop = useCallback(
    (dropped: File[]) => {
      const { nzbs, rejected } = sortDropped(dropped as DroppedFile[], pathOf);
      const note = describeRejected(rejected);
      if (nzbs.length === 0) {
        notify.error(
          new StrataError('invalid-argument', note ? `${note} Drop .nzb or .nzb.gz files, or folders holding them.` : 'Nothing was dropped that Strata can import: drop .nzb or .nzb.gz files, or folders holding them.'),
        );
        return;
      }
      setHeld({
        title: nzbs.length === 1 ? 'Import 1 NZB file' : `Import ${nzbs.length.toLocaleString('en-US')} NZB files`,
        names: nzbs.map(pathOf),
        ...(note ? { note } : {}),
        files: nzbs,
        paths: null,
        skipped: rejected.map((name) => ({ name, reason: 'Not an NZB file (.nzb or .nzb.gz), so it was not sent.' })),
      });
    },
    [notify],
  );

  // Files opened from Explorer or File > Import NZB… (the desktop app only).
  const latestCollections = useRef(collections.data);
  latestCollections.current = collections.data;
  useEffect(() => {
    if (!desktop) return undefined;
    return desktop.onOpenNzb((paths) => {
      const kept = readPreferences().openNzbCollectionId;
      const c = kept === null ? undefined : latestCollections.current?.find((x) => x.id === kept);
      const names = paths.map((p) => p.split(/[/\\]/u).pop() ?? p);
      if (c) {
        jobs.importPaths({ kind: 'existing', id: c.id, name: c.name }, paths);
        notify.success(`Importing ${paths.length === 1 ? names[0] : `${paths.length} NZB files`}`, `Into “${c.name}”. The Jobs screen shows how it goes.`);
        return;
      }
      setHeld({ title: paths.length === 1 ? 'Import an NZB file opened from Explorer' : `Import ${paths.length} NZB files opened from Explorer`, names, files: [], paths, skipped: [], offerRemember: true });
    });
  }, [desktop, jobs, notify]);

  const onImport = async (target: ImportTarget, remember: boolean): Promise<void> => {
    if (!held) return;
    rememberTarget(target);
    if (held.paths) {
      let chosen = target;
      if (remember) {
        // Kept for next time by id: a new collection is made now rather than by the job.
        if (chosen.kind === 'new') {
          try {
            const c = await create.mutateAsync({ name: chosen.name.trim(), source: 'nzb' });
            chosen = { kind: 'existing', id: c.id, name: c.name };
          } catch (error) {
            notify.error(error);
            return;
          }
        }
        if (chosen.kind === 'existing') updatePreferences({ openNzbCollectionId: chosen.id });
      }
      jobs.importPaths(chosen, held.paths);
    } else {
      jobs.importFiles(target, held.files, held.skipped);
    }
    setHeld(null);
  };

  const { getRootProps, getInputProps, isDragActive } = useDropzone({ onDrop, noClick: true, noKeyboard: true, multiple: true });
  return (
    <div {...getRootProps({ className: mergeClasses(styles.root) })}>
      {/* Drops land on the root; this input (the library's click-to-pick, switched off here: the
          Import screen has its own picker) is never used, so it is kept out of the page's content. */}
      <input {...getInputProps()} hidden aria-label="Drop NZB files" />
      {children}
      {isDragActive && (
        <div className={styles.overlay} aria-hidden>
          <div className={styles.target}>
            <ArrowImport20Regular className={styles.icon} />
            <Text size={500} weight="semibold">
              Drop to import
            </Text>
            <Text>.nzb and .nzb.gz files, or folders holding them</Text>
          </div>
        </div>
      )}
      <ImportTargetDialog pending={held} onCancel={() => setHeld(null)} onImport={(t, r) => void onImport(t, r)} />
    </div>
  );
}
