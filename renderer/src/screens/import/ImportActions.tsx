/**
 * The three ways in: NZB files, a folder of NZBs, and indexing a local folder. In the desktop
 * app they open Electron's dialogs; in a browser, the browser's file and folder pickers (the
 * files are uploaded to the host) and a typed folder path on the host's machine.
 */
import { Button, Card, CardHeader, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DocumentMultiple20Regular, FolderOpen20Regular, FolderSearch20Regular } from '@fluentui/react-icons';
import { useRef, useState, type ChangeEvent, type ReactElement } from 'react';
import { StrataError } from '../../../../shared/errors';
import { useDesktop } from '../../api/ApiContext';
import { usePreferences } from '../../app/preferences';
import { useNotify } from '../../errors/notify';
import { useImportJobs, type ImportTarget } from '../../hooks/importing';
import { IndexFolderDialog } from './IndexFolderDialog';
import { rememberTarget } from './import-target';
import { describeRejected, sortDropped } from './nzb-files';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(240px, 1fr))', gap: tokens.spacingHorizontalL },
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, height: '100%' },
  description: { color: tokens.colorNeutralForeground2, flexGrow: 1 },
  icon: { color: tokens.colorBrandForeground1 },
  hidden: { display: 'none' },
});

type Picked = File & { webkitRelativePath?: string };

export function ImportActions({ target, onStarted }: { target: ImportTarget | null; onStarted?: (jobId: string) => void }) {
  const styles = useStyles();
  const desktop = useDesktop();
  const jobs = useImportJobs();
  const notify = useNotify();
  const { segmentBytes } = usePreferences();
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);
  const [indexing, setIndexing] = useState<{ root: string | null } | null>(null);
  const ready = target !== null && (target.kind === 'existing' || target.name.trim() !== '');

  const started = (id: string): void => {
    if (target) rememberTarget(target);
    onStarted?.(id);
  };
  const fromInput = (e: ChangeEvent<HTMLInputElement>): void => {
    const list = [...(e.target.files ?? [])] as Picked[];
    e.target.value = '';
    if (!target || list.length === 0) return;
    const { nzbs, rejected } = sortDropped(list, (f) => f.webkitRelativePath || f.name);
    if (nzbs.length === 0) {
      notify.error(new StrataError('invalid-argument', `${describeRejected(rejected)} Choose .nzb or .nzb.gz files.`));
      return;
    }
    started(jobs.importFiles(target, nzbs, rejected.map((name) => ({ name, reason: 'Not an NZB file (.nzb or .nzb.gz), so it was not sent.' }))));
  };
  const pickFiles = async (): Promise<void> => {
    if (!target) return;
    if (!desktop) return files.current?.click();
    const paths = await desktop.pickNzbFiles();
    if (paths.length > 0) started(jobs.importPaths(target, paths));
  };
  const pickFolder = async (): Promise<void> => {
    if (!target) return;
    if (!desktop) return folder.current?.click();
    const picked = await desktop.pickFolder('nzb-folder');
    if (picked) started(jobs.importPaths(target, [picked], `Import the NZBs in ${picked} into “${target.name}”`));
  };
  const pickIndex = async (): Promise<void> => {
    if (!desktop) return setIndexing({ root: null });
    const picked = await desktop.pickFolder('index');
    if (picked) setIndexing({ root: picked });
  };
  const failSafe = (f: () => Promise<void>) => () => void f().catch((e: unknown) => notify.error(e));

  const card = (icon: ReactElement, title: string, text: string, action: ReactElement): ReactElement => (
    <Card className={styles.card}>
      <CardHeader image={<span className={styles.icon}>{icon}</span>} header={<Text weight="semibold">{title}</Text>} />
      <Text className={styles.description}>{text}</Text>
      <div>{action}</div>
    </Card>
  );
  return (
    <div className={styles.grid}>
      {card(
        <DocumentMultiple20Regular />,
        'NZB files',
        'Pick one or many .nzb or .nzb.gz files. Each becomes a folder in the collection; one already there is recognised and skipped.',
        <Button appearance="primary" disabled={!ready} onClick={failSafe(pickFiles)}>
          Choose NZB files…
        </Button>,
      )}
      {card(
        <FolderOpen20Regular />,
        'A folder of NZBs',
        'Every .nzb and .nzb.gz file in a folder and its subfolders. A bad NZB is reported; the others still import.',
        <Button disabled={!ready} onClick={failSafe(pickFolder)}>
          Import a folder of NZBs…
        </Button>,
      )}
      {card(
        <FolderSearch20Regular />,
        'Index a local folder',
        'Catalog files on disk: each is split into segments and hashed, so you can later attach what an uploader posted.',
        <Button onClick={failSafe(pickIndex)}>Index a folder…</Button>,
      )}
      <input ref={files} className={styles.hidden} type="file" multiple accept=".nzb,.gz" onChange={fromInput} aria-label="NZB files to import" tabIndex={-1} />
      <input
        ref={(el) => {
          folder.current = el;
          // Not in React's types: the attribute that makes the picker choose a folder.
          el?.setAttribute('webkitdirectory', '');
        }}
        className={styles.hidden}
        type="file"
        multiple
        onChange={fromInput}
        aria-label="Folder of NZB files to import"
        tabIndex={-1}
      />
      <IndexFolderDialog
        open={indexing !== null}
        root={indexing?.root ?? null}
        browser={!desktop}
        onCancel={() => setIndexing(null)}
        onStart={(t, root) => {
          setIndexing(null);
          // Started first: an optional call would skip evaluating its argument when there is no listener.
          const id = jobs.indexFolder(t, root, segmentBytes);
          onStarted?.(id);
        }}
      />
    </div>
  );
}
