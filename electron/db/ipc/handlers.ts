/**
 * The implementation of the handler map over the database manager. Every feature has this one
 * implementation; the CLI, the headless host and the desktop UI reach it through the map, and
 * it reaches the store only through the manager (reads timed for the live statistics, writes
 * refused while the catalog moves).
 */
import path from 'node:path';
import { StrataError } from '../../../shared/errors';
import { copyProgressFields } from '../../../shared/manager';
import { isDiskFullError } from '../error-cause';
import type * as NzbExport from '../ingest/nzb/nzb-export';
import type * as NzbImport from '../ingest/nzb/nzb-import';
import type * as NzbAttach from '../ingest/nzb/attach-nzb';
import type * as FolderIndex from '../ingest/folder/index-folder';
import type * as SampleCatalog from '../app/sample-catalog';
import type { DatabaseManager } from '../manager/database-manager';
import { portableStatus } from '../portable-server/portable-status';
import packageJson from '../../../package.json' with { type: 'json' };
import type { Handlers } from './dispatcher';
import { downloadOf, linkTargetCheck, readablePath, writablePath, type HostPolicy } from './host-policy';
import { RateLimit } from './rate-limit';
import { UploadStore } from './upload-store';

// The ingest code (an XML parser, a WebAssembly hasher, the sample generator) loads on the first
// call that needs it: a command that only reads (`strata stats`) does not pay for it at start.
const exportNzb: typeof NzbExport.exportNzb = async (...a) => (await import('../ingest/nzb/nzb-export')).exportNzb(...a);
const importNzbs: typeof NzbImport.importNzbs = async (...a) => (await import('../ingest/nzb/nzb-import')).importNzbs(...a);
const attachNzb: typeof NzbAttach.attachNzb = async (...a) => (await import('../ingest/nzb/attach-nzb')).attachNzb(...a);
const indexFolder: typeof FolderIndex.indexFolder = async (...a) => (await import('../ingest/folder/index-folder')).indexFolder(...a);
const createSampleCatalog: typeof SampleCatalog.createSampleCatalog = async (...a) => (await import('../app/sample-catalog')).createSampleCatalog(...a);

/**
 * `server/check`, the one operation that needs no catalog: also served without one (the CLI's
 * check-server, see catalog-free-handlers.ts). Over the headless host it is rate-limited and
 * tells a remote page only what a PostgreSQL server answered.
 */
export function serverCheckHandler(policy: HostPolicy): Handlers['server/check'] {
  const serverChecks = new RateLimit(policy.serverChecksPerMinute, policy.serverChecksPerMinuteTotal, 60_000);
  return async (a, ctx) => {
    serverChecks.take(ctx.session, 'server checks');
    return (await import('../engines/postgres/check-server')).checkServer(a.url, { remote: policy.paths.kind === 'confined' });
  };
}

/** `policy` says what a client may name on this machine: LOCAL_POLICY for the app and the CLI, confinedPolicy() for the headless host. */
export function createHandlers(manager: DatabaseManager, policy: HostPolicy): Handlers {
  const read = manager.read.bind(manager);
  const write = manager.write.bind(manager);
  const dataDir = manager.dataDir;
  let uploadStore: UploadStore | null = null;
  const uploads = (): UploadStore => (uploadStore ??= new UploadStore(path.join(dataDir, 'uploads')));
  const serverCheck = serverCheckHandler(policy);
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
    'files/delete': (a) => write('delete files', (s) => s.deleteFiles(a.fileIds)),
    'files/get': (a) => read(null, (s) => s.getFile(a.fileId)),
    'files/segments': (a) => read('segments', (s) => s.getSegments(a)),
    'search/query': (a) => read('search', (s) => s.search(a)),
    'catalog/stats': (a) => read(null, (s) => s.stats(a)),
    'catalog/check': () => manager.check(),
    'catalog/repair': () => manager.repair(),
    'catalog/backup': async (a, ctx) => {
      const destination = writablePath(policy, dataDir, 'backups', a.destination);
      // The manager refuses control.db and the data folder's store files as destinations.
      let r: Awaited<ReturnType<DatabaseManager['backup']>>;
      try {
        // Awaited inside the try: the manager's checks throw before any promise exists.
        r = await manager.backup(destination, (p) => ctx.progress({ totalPages: p.totalPages, remainingPages: p.remainingPages }));
      } catch (error) {
        throw asDiskFull(error, destination, 'the backup');
      }
      manager.recordBackup({ at: Date.now(), path: r.path, bytes: r.bytes });
      const download = downloadOf(dataDir, r.path, 'backups');
      return download === undefined ? r : { ...r, download };
    },
    'catalog/restore': (a) => manager.restore(readablePath(policy, dataDir, a.backup, 'backup')),
    'nzb/import': (a, ctx) =>
      write(
        'import NZB files',
        async (s) => {
          const inputs = [...(a.paths ?? []).map((p) => readablePath(policy, dataDir, p, 'NZB file or folder')), ...(a.uploads ?? []).map((id) => uploads().fileOf(id))];
          const r = await importNzbs(s, a.collectionId, inputs, { signal: ctx.signal, onProgress: (p) => ctx.progress({ ...p }) }).finally(async () => {
            // An upload is imported once, whatever the outcome: a failed one is reported, and sent again if wanted.
            for (const id of a.uploads ?? []) await uploads().discard(id);
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
        (r) => r.segments,
      ),
    'nzb/export': async (a, ctx) => {
      const destination = writablePath(policy, dataDir, 'exports', a.destination);
      const r = await read(null, (s) =>
        exportNzb(s, destination, {
          collectionId: a.collectionId,
          signal: ctx.signal,
          ...(a.path === undefined ? {} : { path: a.path }),
          ...(policy.paths.kind === 'confined' ? { overwrite: false } : {}),
          onProgress: (p) => ctx.progress(p),
        }),
      ).catch((error: unknown) => {
        throw asDiskFull(error, destination, 'the NZB');
      });
      const download = downloadOf(dataDir, r.path, 'exports');
      return download === undefined ? r : { ...r, download };
    },
    'folder/index': (a, ctx) =>
      write(
        'index a folder',
        (s) =>
          indexFolder(s, a.collectionId, readablePath(policy, dataDir, a.root, 'folder'), {
            signal: ctx.signal,
            ...withLinkCheck(linkTargetCheck(policy, dataDir)),
            ...(a.segmentBytes === undefined ? {} : { segmentBytes: a.segmentBytes }),
            onProgress: (p) => ctx.progress({ ...p }),
          }),
        (r) => r.segments,
      ),
    'nzb/attach': (a, ctx) => write('attach an NZB file', (s) => attachNzb(s, a.collectionId, readablePath(policy, dataDir, a.path, 'NZB file'), { signal: ctx.signal })),
    'uploads/begin': (a, ctx) => uploads().begin(ctx.session, a.name, a.bytes),
    'uploads/chunk': (a) => uploads().chunk(a.uploadId, a.offset, a.data),
    'uploads/finish': (a) => uploads().finish(a.uploadId),
    'uploads/discard': async (a) => ({ discarded: await uploads().discard(a.uploadId) }),

    'manager/status': () => manager.status(),
    'manager/plan': () => manager.plan(),
    'manager/settings': (a) => Promise.resolve(manager.updateSettings(withoutUndefined(a))),
    'migration/preflight': (a) => manager.preflight({ to: a.to, ...(a.shards ? { shards: a.shards } : {}), ...(a.url ? { url: a.url } : {}) }),
    'migration/start': (a, ctx) => {
      // A detached move (the wizard's) keeps running when its page goes away; the CLI's stops on Ctrl+C.
      const cancel = (): void => void (a.detach ? undefined : manager.cancelMove());
      ctx.signal.addEventListener('abort', cancel, { once: true });
      return manager
        .migrate(
          { to: a.to, ...(a.shards ? { shards: a.shards } : {}), ...(a.url ? { url: a.url } : {}) },
          (p) => ctx.progress(copyProgressFields(p)),
        )
        .finally(() => ctx.signal.removeEventListener('abort', cancel));
    },
    'migration/cancel': () => Promise.resolve({ cancelled: manager.cancelMove() }),
    'migration/rollback': (a) => manager.rollback(a.force === undefined ? {} : { force: a.force }),
    'migration/discard': async () => ({ discarded: await manager.discardInterrupted() }),
    'stores/remove-previous': async () => ({ removed: await manager.removePrevious() }),
    'server/check': serverCheck,

    'app/info': async () => ({ dataDir: manager.dataDir, version: packageJson.version, importRoots: policy.paths.kind === 'confined' ? [...policy.paths.readRoots] : null }),
    'catalog/sample': (a, ctx) =>
      write(
        'open a sample catalog',
        (s) => createSampleCatalog(s, { ...(a.segments === undefined ? {} : { segments: a.segments }), signal: ctx.signal, onProgress: (p) => ctx.progress({ ...p }) }),
        (r) => r.segments,
      ),
    'server/portable-status': async (a) => portableStatus(manager.dataDir, (await manager.status()).store, a.reveal === true),
  };
}

/** A full disk met while writing a result, said as one: what stopped, that nothing half-written was kept. */
function asDiskFull(error: unknown, destination: string, what: string): unknown {
  if (!isDiskFullError(error) || (error instanceof StrataError && error.code === 'disk-full')) return error;
  return new StrataError('disk-full', `The disk holding ${path.dirname(path.resolve(destination))} filled while ${what} was written; no partial file was kept. Free some space there and try again.`, {
    destination,
  });
}

function withLinkCheck(check: ((realPath: string) => boolean) | undefined): { linkTargetAllowed?: (realPath: string) => boolean } {
  return check ? { linkTargetAllowed: check } : {};
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
