/**
 * The library's reads and writes: folder pages for the lazy tree, the file table's pager,
 * a file's details and segments, exports as jobs, renames and deletes.
 */
import { useInfiniteQuery, useMutation, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { FileDetail, FileEntry, Folder, Page, Segment } from '../../../shared/domain';
import type { StrataError } from '../../../shared/errors';
import type { StrataApi } from '../../../shared/ipc/api';
import { CONTRACT, type Args } from '../../../shared/ipc/contract';
import { downloadHref } from '../../../shared/ipc/transfer-schemas';
import { uniqueFileName, windowsSafeFileName } from '../../../shared/windows-file-name';
import { useApi, useDesktop } from '../api/ApiContext';
import { useRead, useWrite } from '../api/calls';
import { useNotify } from '../errors/notify';
import { useJobStore } from '../jobs/JobsContext';
import { FilePager, PAGE_SIZE, type SortDirection } from '../screens/library/file-pager';
import { folderOf } from '../screens/library/place';

export type FileSort = NonNullable<Args<'files/list'>['sort']>;
export type FileStateFilter = NonNullable<Args<'files/list'>['state']>;

/** The sorts the host offers (the contract's own list, so a new one shows up by itself). */
export function fileSorts(): readonly string[] {
  return CONTRACT['files/list'].args.shape.sort.unwrap().options;
}

const FOLDER_PAGE = 200;

const folderPagesKey = (collectionId: number, parentId: number | null) => ['folders/list', { collectionId, parentId }, 'pages'] as const;

/** Children of one folder (or of the collection's root when parentId is null), page by page. */
export function useFolderChildren(collectionId: number, parentId: number | null, enabled: boolean) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: folderPagesKey(collectionId, parentId),
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => api['folders/list']({ collectionId, parentId, limit: FOLDER_PAGE, cursor: pageParam }, { signal }),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export interface LocatedFile {
  file: FileDetail;
  /** The folders from the collection's top down to the file's own, as far as they were found. */
  folders: Folder[];
}

/**
 * Where a file sits in the tree (search opens it there): its details, then its folders from the
 * top, each found by name among its parent's children a page at a time. The pages read on the
 * way are put in the tree's own cache, so every level opens at once, the target on screen
 * even when it is past a parent's first page.
 */
export function useLocateFile(): (fileId: number, signal: AbortSignal) => Promise<LocatedFile> {
  const api = useApi();
  const queries = useQueryClient();
  return useCallback(async (fileId: number, signal: AbortSignal): Promise<LocatedFile> => {
    const file = await api['files/get']({ fileId }, { signal });
    const folders: Folder[] = [];
    let parentId: number | null = null;
    for (const name of folderOf(file.relPath).split('/').filter(Boolean)) {
      const key = folderPagesKey(file.collectionId, parentId);
      const cached = queries.getQueryData<InfiniteData<Page<Folder>, string | null>>(key);
      const pages = [...(cached?.pages ?? [])];
      const pageParams = [...(cached?.pageParams ?? [])];
      let found = pages.flatMap((p) => p.items).find((f) => f.name === name);
      for (let last = pages[pages.length - 1]; !found && (last === undefined || last.nextCursor !== null); last = pages[pages.length - 1]) {
        const cursor = last?.nextCursor ?? null;
        const page = await api['folders/list']({ collectionId: file.collectionId, parentId, limit: FOLDER_PAGE, cursor }, { signal });
        pages.push(page);
        pageParams.push(cursor);
        found = page.items.find((f) => f.name === name);
      }
      if (pages.length > (cached?.pages.length ?? 0)) queries.setQueryData<InfiniteData<Page<Folder>, string | null>>(key, { pages, pageParams });
      if (!found) break;
      folders.push(found);
      parentId = found.id;
    }
    return { file, folders };
  }, [api, queries]);
}

export interface FileListScope {
  collectionId: number;
  folderId: number | null;
  state: FileStateFilter | null;
  sort: FileSort;
  direction: SortDirection;
  /** Rows in scope when known (null with a state filter). */
  total: number | null;
}

/**
 * The pager of the file table. Its first page is an ordinary cached read, so a change anywhere
 * (an event, a write) refetches it; a different first page or total starts a fresh pager.
 * `length` changes only when the list's known length does: the screen around the table renders
 * again for that, not for every page the table reads (usePagerVersion is the table's own).
 */
export function useFilePager(scope: FileListScope | null): { pager: FilePager | null; length: string; firstError: unknown } {
  const api = useApi();
  const args = scope
    ? { collectionId: scope.collectionId, folderId: scope.folderId, state: scope.state, sort: scope.sort, direction: scope.direction, limit: PAGE_SIZE }
    : { collectionId: 1 };
  const first = useRead('files/list', args, { enabled: scope !== null });
  const firstPage = first.data;
  const pager = useMemo(() => {
    if (!scope || !firstPage) return null;
    const { collectionId, folderId, state, sort } = scope;
    return new FilePager({
      direction: scope.direction,
      total: scope.total,
      first: firstPage,
      fetchPage: ({ direction, cursor, offset, limit, signal }) =>
        api['files/list']({ collectionId, folderId, state, sort, direction, limit, cursor, ...(offset > 0 ? { offset } : {}) }, { signal }),
    });
    // The scope's fields, not its object identity, name the list.
  }, [api, firstPage, scope?.collectionId, scope?.folderId, scope?.state, scope?.sort, scope?.direction, scope?.total]);
  useEffect(() => () => pager?.dispose(), [pager]);
  const subscribe = useCallback((listener: () => void) => pager?.subscribe(listener) ?? (() => undefined), [pager]);
  const length = useSyncExternalStore(subscribe, () => (pager ? `${pager.count()}${pager.exact() ? '' : '+'}` : ''));
  return { pager, length, firstError: first.error };
}

/**
 * A number that changes when the pager has read something, at most once per animation frame:
 * a jump's pages arrive in bursts, and the table shows the latest state once per frame instead
 * of rendering again for every page.
 */
export function usePagerVersion(pager: FilePager | null): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!pager) return;
    let frame = 0;
    const off = pager.subscribe(() => {
      if (frame !== 0) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setVersion((v) => v + 1);
      });
    });
    return () => {
      off();
      cancelAnimationFrame(frame);
    };
  }, [pager]);
  return version;
}

export function useFile(fileId: number | null) {
  return useRead('files/get', { fileId: fileId ?? 1 }, { enabled: fileId !== null });
}

const SEGMENT_PAGE = 1000;

/** A file's segments in number order, page by page (afterNumber keyset). */
export function useSegments(fileId: number | null) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: ['files/segments', { fileId }, 'pages'],
    enabled: fileId !== null,
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) => api['files/segments']({ fileId: fileId ?? 1, afterNumber: pageParam, limit: SEGMENT_PAGE }, { signal }),
    getNextPageParam: (last: Segment[]) => (last.length < SEGMENT_PAGE ? undefined : (last[last.length - 1]?.number ?? undefined)),
  });
}

/** Every message-id of a file, in segment order (read in large pages, only when asked for). */
export async function messageIdsOf(api: StrataApi, fileId: number, numbers?: ReadonlySet<number>): Promise<string[]> {
  const ids: string[] = [];
  let after = 0;
  for (;;) {
    const page = await api['files/segments']({ fileId, afterNumber: after, limit: 100_000 });
    for (const s of page) if (s.messageId && (!numbers || numbers.has(s.number))) ids.push(s.messageId);
    const last = page[page.length - 1];
    if (!last || page.length < 100_000) return ids;
    after = last.number;
  }
}

export function useMessageIds() {
  const api = useApi();
  return (fileIds: readonly number[], numbers?: ReadonlySet<number>) =>
    fileIds.reduce<Promise<string[]>>(async (acc, id) => [...(await acc), ...(await messageIdsOf(api, id, numbers))], Promise.resolve([]));
}

export function useRenameCollection() {
  return useWrite('collections/rename');
}

export function useDeleteCollection() {
  return useWrite('collections/delete');
}

/** Deletes files by id (with their segments), in batches the contract accepts. */
export function useDeleteFiles() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation<{ files: number; segments: number }, StrataError, number[]>({
    mutationFn: async (fileIds) => {
      const total = { files: 0, segments: 0 };
      for (let i = 0; i < fileIds.length; i += DELETE_BATCH) {
        const r = await api['files/delete']({ fileIds: fileIds.slice(i, i + DELETE_BATCH) });
        total.files += r.files;
        total.segments += r.segments;
      }
      return total;
    },
    onSettled: () => queries.invalidateQueries(),
  });
}

const DELETE_BATCH = 10_000;

export interface ExportScope {
  collectionId: number;
  /** A file or folder path inside the collection; '' for the whole collection. */
  path: string;
  /** What the user sees: the file, folder or collection name. */
  name: string;
  /** Files the export will write, when known (its progress bar's total). */
  files?: number | null;
}

// Named after a collection, folder or file: safe on Windows whichever machine it is written on.
const nzbName = (name: string): string => windowsSafeFileName(name, { extension: '.nzb' });
/** Names this page asked the host for: two exports in one second never ask for one name. */
const hostNamesGiven = new Set<string>();

/** The host's access token (after the # of the page's address), for download links. */
function hostToken(): string | null {
  return new URLSearchParams(window.location.hash.replace(/^#/u, '')).get('token');
}

/** A name the host has not written yet: it never writes over an earlier export. */
function stamped(fileName: string): string {
  const t = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${t.getFullYear()}${pad(t.getMonth() + 1)}${pad(t.getDate())}-${pad(t.getHours())}${pad(t.getMinutes())}${pad(t.getSeconds())}`;
  return fileName.replace(/\.nzb$/u, `-${stamp}.nzb`);
}

/** Starts an NZB export as a job: Electron asks where with its save dialog. */
export function useExportNzb() {
  const api = useApi();
  const desktop = useDesktop();
  const jobs = useJobStore();
  const notify = useNotify();
  return async (scope: ExportScope): Promise<string | null> => {
    const fileName = nzbName(scope.name);
    // The desktop app asks where; over the host the export lands in the data folder's
    // exports/ by name and the browser downloads it from there.
    const destination = desktop ? await desktop.pickSaveLocation('nzb', fileName) : uniqueFileName(stamped(fileName), (n) => hostNamesGiven.has(n.toLowerCase()), '.nzb');
    if (destination && !desktop) hostNamesGiven.add(destination.toLowerCase());
    if (!destination) return null;
    const target = destination;
    notify.success('Export started', `${scope.name}: its progress${desktop ? '' : ' and the download'} are in Jobs.`);
    return jobs.start('export', `Export ${scope.name} as NZB`, async (ctx) => {
      const { signal } = ctx;
      const r = await api['nzb/export'](
        { collectionId: scope.collectionId, path: scope.path, destination: target },
        {
          signal,
          onProgress: (p) => {
            const done = typeof p.files === 'number' ? p.files : 0;
            ctx.progress({ done, total: scope.files ?? null, unit: 'files', label: null });
          },
        },
      );
      const skipped = r.skippedFiles > 0 ? ` (${r.skippedFiles} files without message-ids left out)` : '';
      const token = hostToken();
      const name = r.download?.split('/').pop();
      return {
        summary: `${r.files.toLocaleString()} files, ${r.segments.toLocaleString()} segments${skipped}`,
        lines: [{ status: 'ok', text: desktop || !name ? `Saved to ${r.path}` : `Written on the host as ${r.path}` }],
        ...(r.download && token && name ? { download: { name, href: downloadHref(r.download, token) } } : {}),
      };
    });
  };
}

/** Folder and file rows a selection names, with the collection they are in. */
export type LibraryRow = FileEntry | Folder;
