/**
 * Collections and their folders, as Explorer's navigation pane: a collection opens into its
 * folders, each folder's children are read (a page at a time) only when it opens.
 */
import { Button, Spinner, Text, Tree, TreeItem, TreeItemLayout, TreeItemPersonaLayout, makeStyles, mergeClasses, tokens, type TreeOpenChangeData } from '@fluentui/react-components';
import { Folder20Regular, FolderOpen20Regular, Library20Regular } from '@fluentui/react-icons';
import { useEffect, useRef } from 'react';
import type { Collection, Folder } from '../../../../shared/domain';
import { formatCount } from '../../../../shared/format';
import { ErrorMessage } from '../../errors/ErrorMessage';
import { useFolderChildren } from '../../hooks/library';
import { CollectionMenu } from './CollectionMenu';
import type { LibraryPlace } from './place';

const useStyles = makeStyles({
  tree: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXS}` },
  selected: {
    backgroundColor: tokens.colorSubtleBackgroundSelected,
    fontWeight: tokens.fontWeightSemibold,
  },
  count: { color: tokens.colorNeutralForeground3, fontVariantNumeric: 'tabular-nums', fontSize: tokens.fontSizeBase200 },
  ellipsis: { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 },
  more: { marginLeft: tokens.spacingHorizontalXXL },
  note: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, color: tokens.colorNeutralForeground3 },
});

export interface LibraryTreeProps {
  collections: readonly Collection[];
  place: LibraryPlace | null;
  openItems: ReadonlySet<string>;
  onOpenItems: (items: Set<string>) => void;
  onPlace: (place: LibraryPlace) => void;
}

function uploadedShare(c: Collection): string {
  if (c.segmentCount === 0) return 'empty';
  const share = Math.floor((c.uploadedSegments / c.segmentCount) * 100);
  return `${share}% uploaded`;
}

export function LibraryTree({ collections, place, openItems, onOpenItems, onPlace }: LibraryTreeProps) {
  const styles = useStyles();
  const onOpenChange = (_: unknown, data: TreeOpenChangeData): void => {
    const key = String(data.value);
    const next = new Set(openItems);
    // A click on the name selects (and opens) the node; only the chevron and the keyboard close it.
    if (data.type === 'Click' && !data.open && !isSelectedKey(key, place)) next.add(key);
    else if (data.open) next.add(key);
    else next.delete(key);
    onOpenItems(next);
  };
  return (
    <Tree aria-label="Collections and folders" openItems={openItems} onOpenChange={onOpenChange} className={styles.tree} size="small">
      {collections.map((c) => {
        const key = `c:${c.id}`;
        const selected = place?.collectionId === c.id && place.folderId === null;
        const here: LibraryPlace = { collectionId: c.id, folderId: null, path: '', name: c.name, total: c.fileCount };
        return (
          <CollectionMenu key={key} collection={c}>
            <TreeItem
              itemType={c.folderCount > 0 ? 'branch' : 'leaf'}
              value={key}
              aria-selected={selected}
              aria-description={`${formatCount(c.fileCount)} files, ${uploadedShare(c)}`}
              onClick={() => onPlace(here)}
              onKeyDown={(e) => {
                if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) onPlace(here);
              }}
            >
              <TreeItemPersonaLayout
                className={mergeClasses(selected && styles.selected)}
                media={<Library20Regular />}
                description={`${formatCount(c.fileCount)} files · ${uploadedShare(c)}`}
              >
                {c.name}
              </TreeItemPersonaLayout>
              {openItems.has(key) && c.folderCount > 0 && <FolderChildren collection={c} parent={null} parentPath="" place={place} onPlace={onPlace} openItems={openItems} />}
            </TreeItem>
          </CollectionMenu>
        );
      })}
    </Tree>
  );
}

function isSelectedKey(key: string, place: LibraryPlace | null): boolean {
  if (!place) return false;
  return key === (place.folderId === null ? `c:${place.collectionId}` : `f:${place.folderId}`);
}

function FolderChildren({
  collection,
  parent,
  parentPath,
  place,
  onPlace,
  openItems,
}: {
  collection: Collection;
  parent: number | null;
  parentPath: string;
  place: LibraryPlace | null;
  onPlace: (place: LibraryPlace) => void;
  openItems: ReadonlySet<string>;
}) {
  const styles = useStyles();
  const pages = useFolderChildren(collection.id, parent, true);
  const folders = pages.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Tree>
      {pages.isPending && (
        <TreeItem itemType="leaf" aria-busy>
          <TreeItemLayout iconBefore={<Spinner size="extra-tiny" />}>Reading folders…</TreeItemLayout>
        </TreeItem>
      )}
      {pages.error && (
        <TreeItem itemType="leaf">
          <ErrorMessage error={pages.error} onRetry={() => void pages.refetch()} />
        </TreeItem>
      )}
      {folders.map((f) => (
        <FolderNode key={f.id} collection={collection} folder={f} parentPath={parentPath} place={place} onPlace={onPlace} openItems={openItems} />
      ))}
      {pages.hasNextPage && (
        <TreeItem itemType="leaf" onClick={() => void pages.fetchNextPage()}>
          <TreeItemLayout className={styles.more}>
            <Button size="small" appearance="transparent" disabled={pages.isFetchingNextPage} tabIndex={-1}>
              {pages.isFetchingNextPage ? 'Reading…' : 'Show more folders'}
            </Button>
          </TreeItemLayout>
        </TreeItem>
      )}
    </Tree>
  );
}

function FolderNode({
  collection,
  folder,
  parentPath,
  place,
  onPlace,
  openItems,
}: {
  collection: Collection;
  folder: Folder;
  parentPath: string;
  place: LibraryPlace | null;
  onPlace: (place: LibraryPlace) => void;
  openItems: ReadonlySet<string>;
}) {
  const styles = useStyles();
  const key = `f:${folder.id}`;
  const path = parentPath ? `${parentPath}/${folder.name}` : folder.name;
  const open = openItems.has(key);
  const selected = place?.folderId === folder.id;
  const here: LibraryPlace = { collectionId: collection.id, folderId: folder.id, path, name: folder.name, total: folder.fileCount };
  // The selected folder is kept on screen: search may select one deep in the tree, past the
  // side pane's fold ('nearest' leaves a folder the user just clicked where it is). Its parents
  // open with Fluent's collapse motion, which moves it down after it mounted, so it is scrolled
  // to again each frame until it stays put (at most a second and a half).
  const item = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selected) return;
    let frame = 0;
    let still = 0;
    let last = Number.NaN;
    let id = 0;
    const settle = (): void => {
      // Its own row (the layout), not the item with its open subtree below it.
      const el = item.current?.firstElementChild ?? item.current;
      if (!el) return;
      el.scrollIntoView({ block: 'nearest' });
      const top = el.getBoundingClientRect().top;
      still = top === last ? still + 1 : 0;
      last = top;
      if (still < 3 && ++frame < 90) id = requestAnimationFrame(settle);
    };
    id = requestAnimationFrame(settle);
    return () => cancelAnimationFrame(id);
  }, [selected]);
  return (
    <TreeItem
      ref={item}
      itemType={folder.folderCount > 0 ? 'branch' : 'leaf'}
      value={key}
      aria-selected={selected}
      onClick={(e) => {
        e.stopPropagation();
        onPlace(here);
      }}
      onKeyDown={(e) => {
        if (e.target === e.currentTarget && (e.key === 'Enter' || e.key === ' ')) {
          e.stopPropagation();
          onPlace(here);
        }
      }}
    >
      <TreeItemLayout
        className={mergeClasses(selected && styles.selected)}
        iconBefore={open ? <FolderOpen20Regular /> : <Folder20Regular />}
        main={{ className: styles.ellipsis, title: path }}
        aside={folder.fileCount > 0 ? <Text className={styles.count} aria-label={`${formatCount(folder.fileCount)} files`}>{formatCount(folder.fileCount)}</Text> : undefined}
      >
        {folder.name}
      </TreeItemLayout>
      {open && folder.folderCount > 0 && <FolderChildren collection={collection} parent={folder.id} parentPath={path} place={place} onPlace={onPlace} openItems={openItems} />}
    </TreeItem>
  );
}
