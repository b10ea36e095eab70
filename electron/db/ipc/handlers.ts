/**
 * The implementation of the handler map over the database manager. Every feature has this one
 * implementation; the CLI, the headless host and the desktop UI reach it through the map, and
 * it reaches the store only through the manager (reads timed for the live statistics, writes
 * refused while the catalog moves).
 */
import { exportNzb } from '../ingest/nzb/nzb-export';
import { importNzbs } from '../ingest/nzb/nzb-import';
import { attachNzb } from '../ingest/nzb/attach-nzb';
import { indexFolder } from '../ingest/folder/index-folder';
import type { DatabaseManager } from '../manager/database-manager';
import type { Handlers } from './dispatcher';

export function createHandlers(manager: DatabaseManager): Handlers {
  const read = manager.read.bind(manager);
  const write = manager.write.bind(manager);
  return {
    'collections/list': () => read(null, (s) => s.listCollections()),
    'collections/create': (a) => write('create a collection', (s) => s.createCollection({ name: a.name, source: a.source, rootPath: a.rootPath ?? null })),
    'collections/rename': (a) => write('rename a collection', (s) => s.renameCollection(a.id, a.name)),
    'collections/delete': (a) =>
      write('delete a collection', async (s) => {
        await s.deleteCollection(a.id);
        return { deleted: a.id };
      }),
    'folders/list': (a) => read('page', (s) => s.listFolders(a)),
    'files/list': (a) => read('page', (s) => s.listFiles(a)),
    'files/get': (a) => read(null, (s) => s.getFile(a.fileId)),
    'files/segments': (a) => read('segments', (s) => s.getSegments(a)),
    'search/query': (a) => read('search', (s) => s.search(a)),
    'catalog/stats': (a) => read(null, (s) => s.stats(a)),
    'catalog/check': () => read(null, (s) => s.checkIntegrity()),
    'catalog/backup': (a, ctx) => manager.backup(a.destination, (p) => ctx.progress({ totalPages: p.totalPages, remainingPages: p.remainingPages })),
    'catalog/restore': (a) => manager.restore(a.backup),
    'nzb/import': (a, ctx) =>
      write(
        'import NZB files',
        async (s) => {
          const r = await importNzbs(s, a.collectionId, a.paths, { signal: ctx.signal, onProgress: (p) => ctx.progress({ ...p }) });
          return {
            imported: r.imported,
            duplicates: r.duplicates,
            failed: r.failed,
            files: r.files,
            segments: r.segments,
            bytes: r.bytes,
            elapsedMs: r.elapsedMs,
            results: r.results,
          };
        },
        (r) => r.segments,
      ),
    'nzb/export': (a, ctx) =>
      read(null, (s) =>
        exportNzb(s, a.destination, {
          collectionId: a.collectionId,
          signal: ctx.signal,
          ...(a.path === undefined ? {} : { path: a.path }),
          onProgress: (p) => ctx.progress(p),
        }),
      ),
    'folder/index': (a, ctx) =>
      write(
        'index a folder',
        (s) =>
          indexFolder(s, a.collectionId, a.root, {
            signal: ctx.signal,
            ...(a.segmentBytes === undefined ? {} : { segmentBytes: a.segmentBytes }),
            onProgress: (p) => ctx.progress({ ...p }),
          }),
        (r) => r.segments,
      ),
    'nzb/attach': (a, ctx) => write('attach an NZB file', (s) => attachNzb(s, a.collectionId, a.path, { signal: ctx.signal })),

    'manager/status': () => manager.status(),
    'manager/plan': () => manager.plan(),
    'manager/settings': (a) => Promise.resolve(manager.updateSettings(withoutUndefined(a))),
    'migration/start': (a, ctx) => {
      const cancel = (): void => void manager.cancelMove();
      ctx.signal.addEventListener('abort', cancel, { once: true });
      return manager
        .migrate(
          { to: a.to, ...(a.shards ? { shards: a.shards } : {}), ...(a.url ? { url: a.url } : {}) },
          (p) => ctx.progress({ phase: p.phase, table: p.table ?? '', rows: p.rows, totalRows: p.totalRows, bytes: p.bytes, rowsPerSecond: p.rowsPerSecond, etaMs: p.etaMs ?? -1 }),
        )
        .finally(() => ctx.signal.removeEventListener('abort', cancel));
    },
    'migration/cancel': () => Promise.resolve({ cancelled: manager.cancelMove() }),
    'migration/rollback': (a) => manager.rollback(a.force === undefined ? {} : { force: a.force }),
    'migration/discard': async () => ({ discarded: await manager.discardInterrupted() }),
    'stores/remove-previous': async () => ({ removed: await manager.removePrevious() }),
    'server/check': async (a) => (await import('../engines/postgres/check-server')).checkServer(a.url),
  };
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
