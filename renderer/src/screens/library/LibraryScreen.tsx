/**
 * The library: collections and folders on the left, the files of the chosen place in a
 * virtualized table, and the opened file in a panel on the right (over the table when the
 * window is narrow). Opening a file from search lands here through useNavigation().libraryTarget.
 */
import { Spinner, Text, Toolbar, ToolbarButton, ToolbarDivider, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ArrowExportUp20Regular, Copy20Regular, Delete20Regular } from '@fluentui/react-icons';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FileEntry, FileState } from '../../../../shared/domain';
import { formatCount } from '../../../../shared/format';
import { useNavigation } from '../../app/navigation';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useNotify } from '../../errors/notify';
import { useCollections } from '../../hooks/catalog';
import { useExportNzb, useFilePager, useLocateFile, useMessageIds, type FileSort } from '../../hooks/library';
import { DeleteFilesDialog } from './DeleteFilesDialog';
import type { SortDirection } from './file-pager';
import { FileContextMenu } from './FileContextMenu';
import { FilePanel } from './FilePanel';
import { FileTable } from './FileTable';
import { FirstRun } from '../import/FirstRun';
import { LibraryTree } from './LibraryTree';
import type { LibraryPlace } from './place';
import { EMPTY_SELECTION, orFocused, selectedCount, type Selection } from './selection';
import { STATE_LABELS } from './StateBadge';
import { StateFilter } from './StateFilter';
import { useWidth } from './use-width';

const useStyles = makeStyles({
  screen: { display: 'grid', gridTemplateColumns: '248px 1fr', height: '100%', minHeight: 0, position: 'relative' },
  withPanel: { gridTemplateColumns: '248px 1fr 380px' },
  side: { borderRight: `1px solid ${tokens.colorNeutralStroke2}`, overflowY: 'auto', minHeight: 0, backgroundColor: tokens.colorNeutralBackground2 },
  sideTitle: { display: 'block', padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL} ${tokens.spacingVerticalXS}`, color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontWeight: tokens.fontWeightSemibold, textTransform: 'uppercase', letterSpacing: '0.04em' },
  centre: { display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0 },
  bar: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    flexWrap: 'wrap',
    rowGap: tokens.spacingVerticalXS,
  },
  heading: { display: 'flex', flexDirection: 'column', minWidth: 0, flexGrow: 1 },
  title: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  sub: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  filter: { minWidth: '150px' },
  panel: { borderLeft: `1px solid ${tokens.colorNeutralStroke2}`, minHeight: 0, minWidth: 0 },
  overlay: {
    position: 'absolute',
    top: 0,
    right: 0,
    bottom: 0,
    width: 'min(380px, 60%)',
    boxShadow: tokens.shadow28,
    zIndex: 1,
  },
  loading: { display: 'flex', gap: tokens.spacingHorizontalS, padding: tokens.spacingHorizontalXXL, alignItems: 'center' },
});

/** Width of the library (without the navigation) from which the file panel sits beside the table. */
const PANEL_INLINE_FROM = 1240;
const MAX_ACTION_ROWS = 100_000;
/** How far into a list a file opened from search is looked for (its panel opens either way). */
const REVEAL_MAX_ROWS = 50 * 500;

export function LibraryScreen() {
  const styles = useStyles();
  const nav = useNavigation();
  const notify = useNotify();
  const collections = useCollections();
  const [place, setPlace] = useState<LibraryPlace | null>(null);
  const [openItems, setOpenItems] = useState<Set<string>>(new Set());
  const [sort, setSort] = useState<FileSort>('name');
  const [direction, setDirection] = useState<SortDirection>('asc');
  const [stateFilter, setStateFilter] = useState<FileState | null>(null);
  const [openFileId, setOpenFileId] = useState<number | null>(null);
  const [selection, setSelection] = useState<Selection>(EMPTY_SELECTION);
  const [focus, setFocus] = useState<number | null>(null);
  const [menuAt, setMenuAt] = useState<{ x: number; y: number } | null>(null);
  const [deleting, setDeleting] = useState<Selection | null>(null);
  const [revealFileId, setRevealFileId] = useState<number | null>(null);
  const [reveal, setReveal] = useState<{ index: number } | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const width = useWidth(rootRef);
  const exportNzb = useExportNzb();
  const messageIds = useMessageIds();

  const list = collections.data;
  // The place shown: the user's choice, or the first collection.
  const shown: LibraryPlace | null = useMemo(() => {
    if (place && list?.some((c) => c.id === place.collectionId)) {
      if (place.folderId !== null) return place;
      const c = list.find((x) => x.id === place.collectionId);
      return c ? { ...place, name: c.name, total: c.fileCount } : place;
    }
    const c = list?.[0];
    return c ? { collectionId: c.id, folderId: null, path: '', name: c.name, total: c.fileCount } : null;
  }, [place, list]);

  const scope = shown ? { collectionId: shown.collectionId, folderId: shown.folderId, state: stateFilter, sort, direction, total: stateFilter ? null : shown.total } : null;
  // `length` re-renders this screen when the list's known length changes; the table follows
  // the pages it reads by itself, so the tree, toolbar and panel do not render for each page.
  const { pager, length, firstError } = useFilePager(scope);
  void length;

  // A new list (another place, sort or filter, or a change in the catalog) starts unselected.
  useEffect(() => {
    setSelection(EMPTY_SELECTION);
    setFocus(null);
  }, [pager]);

  // Opened from search (or a job): find the file's folder, open the tree down to it and select
  // it, then find the row, select it and scroll to it. The place and the row to find are set
  // together, once the folder is known, so the row is never looked for in the list shown before.
  const locate = useLocateFile();
  const locating = useRef<AbortController | null>(null);
  useEffect(() => () => locating.current?.abort(), []);
  useEffect(() => {
    const t = nav.libraryTarget;
    if (!t) return;
    nav.clearLibraryTarget();
    locating.current?.abort();
    const controller = new AbortController();
    locating.current = controller;
    setStateFilter(null);
    setRevealFileId(null);
    const collection = list?.find((c) => c.id === t.collectionId);
    const top: LibraryPlace = { collectionId: t.collectionId, folderId: null, path: '', name: collection?.name ?? '', total: collection?.fileCount ?? null };
    setOpenItems((s) => new Set(s).add(`c:${t.collectionId}`));
    if (!t.fileId) {
      setPlace(top);
      return;
    }
    setOpenFileId(t.fileId);
    locate(t.fileId, controller.signal).then(
      ({ file, folders }) => {
        if (controller.signal.aborted) return;
        const folder = folders[folders.length - 1];
        setOpenItems((s) => {
          const next = new Set(s).add(`c:${file.collectionId}`);
          for (const f of folders.slice(0, -1)) next.add(`f:${f.id}`);
          return next;
        });
        // A file at the collection's top (or whose folder was not found) is shown in the collection.
        setPlace(
          folder && folder.id === file.folderId
            ? { collectionId: file.collectionId, folderId: folder.id, path: folders.map((f) => f.name).join('/'), name: folder.name, total: folder.fileCount }
            : top,
        );
        setRevealFileId(file.id);
      },
      (e: unknown) => {
        if (!controller.signal.aborted) notify.error(e);
      },
    );
  }, [nav, list, locate, notify]);
  useEffect(() => {
    if (!pager || revealFileId === null) return;
    let stop = false;
    void (async () => {
      for (let start = 0; start < REVEAL_MAX_ROWS && start < pager.count() && !stop; start += pager.pageSize) {
        const rows = await pager.rowsFor(start, start + pager.pageSize - 1);
        const at = rows.findIndex((r) => r.id === revealFileId);
        if (at !== -1) {
          if (stop) return;
          setReveal({ index: start + at });
          setFocus(start + at);
          setSelection({ ranges: [{ start: start + at, end: start + at }], anchor: start + at });
          setRevealFileId(null);
          return;
        }
      }
      if (!stop) setRevealFileId(null);
    })().catch((e: unknown) => notify.error(e));
    return () => {
      stop = true;
    };
  }, [pager, revealFileId, notify]);

  const onPlace = (p: LibraryPlace): void => {
    setPlace(p);
    setReveal(null);
  };

  /** The rows an action applies to: the selection, or the focused row. */
  const actionRows = async (sel: Selection): Promise<FileEntry[]> => {
    if (!pager) return [];
    const target = orFocused(sel, focus);
    if (selectedCount(target) > MAX_ACTION_ROWS) throw new Error(`Select at most ${formatCount(MAX_ACTION_ROWS)} files at once, or export the folder instead.`);
    const rows: FileEntry[] = [];
    for (const r of target.ranges) rows.push(...(await pager.rowsFor(r.start, r.end)));
    return rows;
  };

  const onCopyIds = async (): Promise<void> => {
    try {
      const rows = await actionRows(selection);
      const ids = await messageIds(rows.map((r) => r.id));
      await navigator.clipboard.writeText(ids.join('\n'));
      notify.success(`${formatCount(ids.length)} message-ids copied`, `From ${rows.length === 1 ? rows[0]?.name : `${formatCount(rows.length)} files`}, one a line.`);
    } catch (e) {
      notify.error(e);
    }
  };

  const onExportSelection = async (): Promise<void> => {
    try {
      const rows = await actionRows(selection);
      if (rows.length > 20) {
        notify.error(new Error(`An NZB is made per file here; for ${formatCount(rows.length)} files, export the folder instead.`));
        return;
      }
      for (const r of rows) await exportNzb({ collectionId: r.collectionId, path: r.relPath, name: r.name, files: 1 });
    } catch (e) {
      notify.error(e);
    }
  };

  const onExportPlace = (): void => {
    if (!shown) return;
    exportNzb({ collectionId: shown.collectionId, path: shown.path, name: shown.name, files: shown.total }).catch((e: unknown) => notify.error(e));
  };

  const openRow = (f: FileEntry): void => setOpenFileId(f.id);

  if (collections.error) return <ErrorMessage error={collections.error} onRetry={() => void collections.refetch()} />;
  if (!list) {
    return (
      <div className={styles.loading}>
        <Spinner size="tiny" /> <Text>Reading the catalog…</Text>
      </div>
    );
  }
  if (list.length === 0) return <FirstRun />;

  const inline = width >= PANEL_INLINE_FROM;
  const selected = selectedCount(selection);
  const count = pager?.count() ?? 0;
  const countText = pager ? `${pager.exact() ? '' : 'at least '}${formatCount(count)} ${count === 1 ? 'file' : 'files'}${stateFilter ? ` ${STATE_LABELS[stateFilter].toLowerCase()}` : ''}` : '';
  return (
    <div ref={rootRef} className={mergeClasses(styles.screen, openFileId !== null && inline && styles.withPanel)}>
      <nav className={styles.side} aria-label="Collections">
        <Text className={styles.sideTitle} as="h2">
          Collections
        </Text>
        <LibraryTree collections={list} place={shown} openItems={openItems} onOpenItems={setOpenItems} onPlace={onPlace} />
      </nav>
      <section className={styles.centre} aria-label={shown ? `Files in ${shown.name}` : 'Files'}>
        <div className={styles.bar}>
          <div className={styles.heading}>
            <Text as="h2" className={styles.title}>
              {shown?.name}
            </Text>
            <Text className={styles.sub} aria-live="polite">
              {shown?.path ? `${shown.path} · ` : ''}
              {countText}
              {selected > 0 ? ` · ${formatCount(selected)} selected` : ''}
            </Text>
          </div>
          <StateFilter className={styles.filter} label="Show files in state" state={stateFilter} onChange={setStateFilter} />
          <Toolbar aria-label="Library actions" size="small">
            <ToolbarButton icon={<ArrowExportUp20Regular />} onClick={onExportPlace} title={`Export ${shown?.name ?? ''} as one NZB`}>
              Export {shown?.folderId === null ? 'collection' : 'folder'}
            </ToolbarButton>
            <ToolbarDivider />
            <ToolbarButton icon={<Copy20Regular />} disabled={selected === 0} onClick={() => void onCopyIds()}>
              Copy message-ids
            </ToolbarButton>
            <ToolbarButton icon={<Delete20Regular />} disabled={selected === 0} onClick={() => setDeleting(selection)}>
              Delete
            </ToolbarButton>
          </Toolbar>
        </div>
        <FileTable
          pager={pager}
          error={firstError}
          sort={sort}
          direction={direction}
          onSort={(s, d) => {
            setSort(s);
            setDirection(d);
          }}
          selection={selection}
          onSelection={setSelection}
          focus={focus}
          onFocus={setFocus}
          openFileId={openFileId}
          onOpen={openRow}
          onDelete={() => setDeleting(orFocused(selection, focus))}
          onContextMenu={setMenuAt}
          reveal={reveal}
          label={shown ? `Files in ${shown.name}` : 'Files'}
          emptyText={stateFilter ? `No ${STATE_LABELS[stateFilter].toLowerCase()} files here. Choose “All states” to see every file.` : 'No files directly in this folder. Open one of its folders on the left.'}
        />
      </section>
      {openFileId !== null && (
        <div className={inline ? styles.panel : styles.overlay}>
          <FilePanel fileId={openFileId} onClose={() => setOpenFileId(null)} />
        </div>
      )}
      <FileContextMenu
        at={menuAt}
        count={selectedCount(orFocused(selection, focus))}
        onClose={() => setMenuAt(null)}
        onOpen={() => {
          const row = focus !== null ? pager?.rowAt(focus) : undefined;
          if (row) openRow(row);
        }}
        onExport={() => void onExportSelection()}
        onCopy={() => void onCopyIds()}
        onDelete={() => setDeleting(orFocused(selection, focus))}
      />
      {deleting && <DeleteFilesDialog selection={deleting} resolve={actionRows} onClose={() => setDeleting(null)} />}
    </div>
  );
}
