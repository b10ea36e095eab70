/**
 * The implementation of the handler map over a store. Every feature has this one
 * implementation; the CLI, the headless host and the desktop UI reach it through the map.
 */
import { exportNzb } from '../ingest/nzb/nzb-export';
import { importNzbs } from '../ingest/nzb/nzb-import';
import { attachNzb } from '../ingest/nzb/attach-nzb';
import { indexFolder } from '../ingest/folder/index-folder';
import type { CatalogStore } from '../store';
import type { Handlers } from './dispatcher';

export function createHandlers(store: CatalogStore): Handlers {
  return {
    'collections/list': () => store.listCollections(),
    'collections/create': (a) => store.createCollection({ name: a.name, source: a.source, rootPath: a.rootPath ?? null }),
    'collections/rename': (a) => store.renameCollection(a.id, a.name),
    'collections/delete': async (a) => {
      await store.deleteCollection(a.id);
      return { deleted: a.id };
    },
    'folders/list': (a) => store.listFolders(a),
    'files/list': (a) => store.listFiles(a),
    'files/get': (a) => store.getFile(a.fileId),
    'files/segments': (a) => store.getSegments(a),
    'search/query': (a) => store.search(a),
    'catalog/stats': (a) => store.stats(a),
    'catalog/check': () => store.checkIntegrity(),
    'catalog/backup': (a, ctx) =>
      store.backup(a.destination, { onProgress: (p) => ctx.progress({ totalPages: p.totalPages, remainingPages: p.remainingPages }) }),
    'nzb/import': async (a, ctx) => {
      const r = await importNzbs(store, a.collectionId, a.paths, {
        signal: ctx.signal,
        onProgress: (p) => ctx.progress({ ...p }),
      });
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
    'nzb/export': async (a, ctx) => {
      const r = await exportNzb(store, a.destination, {
        collectionId: a.collectionId,
        signal: ctx.signal,
        ...(a.path === undefined ? {} : { path: a.path }),
        onProgress: (p) => ctx.progress(p),
      });
      return r;
    },
    'folder/index': (a, ctx) =>
      indexFolder(store, a.collectionId, a.root, {
        signal: ctx.signal,
        ...(a.segmentBytes === undefined ? {} : { segmentBytes: a.segmentBytes }),
        onProgress: (p) => ctx.progress({ ...p }),
      }),
    'nzb/attach': (a, ctx) => attachNzb(store, a.collectionId, a.path, { signal: ctx.signal }),
  };
}
