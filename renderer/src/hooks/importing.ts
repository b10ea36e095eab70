/**
 * Imports, indexing and the sample catalog as jobs: each runs through the JobStore (its bar,
 * rate, cancel and report outlive the screen), passes its signal and progress to the call, and
 * refreshes every cached read when it ends. In the desktop app files are named by path; in a
 * browser their bytes are uploaded to the host first.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { StrataError } from '../../../shared/errors';
import type { Collection } from '../../../shared/domain';
import { useApi, useDesktop } from '../api/ApiContext';
import { useRead, useWrite } from '../api/calls';
import { useJobStore } from '../jobs/JobsContext';
import type { JobContext, JobReport } from '../jobs/job-store';
import { importReport, indexReport, sampleReport } from '../jobs/reports';
import { uploadFiles } from '../screens/import/upload-client';
import { uploadTransport } from './uploads';

/** Where an import goes: a collection that exists, or one to create when the job starts. */
export type ImportTarget = { kind: 'existing'; id: number; name: string } | { kind: 'new'; name: string };

export interface ImportJobs {
  /** Paths on this machine (desktop dialogs, Explorer, a drop in the app). */
  importPaths(target: ImportTarget, paths: string[], title?: string): string;
  /** Files the page holds (a browser's picker or drop): by path in the app, uploaded in a browser. */
  importFiles(target: ImportTarget, files: File[], skipped?: { name: string; reason: string }[]): string;
  indexFolder(target: ImportTarget, root: string, segmentBytes: number): string;
  openSample(onDone?: (collection: Collection) => void): string;
}

export const SAMPLE_TITLE = 'Open a sample catalog';

const baseName = (p: string): string => p.replace(/[/\\]+$/u, '').split(/[/\\]/u).pop() || p;

export function useImportJobs(): ImportJobs {
  const api = useApi();
  const desktop = useDesktop();
  const jobs = useJobStore();
  const queries = useQueryClient();
  return useMemo<ImportJobs>(() => {
    const refresh = (): void => void queries.invalidateQueries();
    const resolve = async (target: ImportTarget, source: 'nzb' | 'local'): Promise<number> => {
      if (target.kind === 'existing') return target.id;
      const existing = (await api['collections/list']({})).find((c) => c.name.toLowerCase() === target.name.toLowerCase());
      if (existing) return existing.id;
      const created = await api['collections/create']({ name: target.name, source });
      refresh();
      return created.id;
    };
    const run = (kind: Parameters<typeof jobs.start>[0], title: string, work: (ctx: JobContext) => Promise<JobReport>): string =>
      jobs.start(kind, title, async (ctx) => {
        try {
          return await work(ctx);
        } finally {
          refresh();
        }
      });
    const importProgress = (ctx: JobContext) => (p: Record<string, string | number | boolean>) =>
      ctx.progress({ done: Number(p.nzbsDone ?? 0), total: Number(p.nzbsTotal ?? 0) || null, unit: 'NZBs', label: typeof p.current === 'string' && p.current ? `Reading ${baseName(p.current)}` : null });
    const into = (t: ImportTarget): string => `into “${t.name}”`;
    const count = (n: number): string => (n === 1 ? '1 NZB' : `${n.toLocaleString('en-US')} NZBs`);

    const importPaths: ImportJobs['importPaths'] = (target, paths, title) =>
      run('import', title ?? `Import ${paths.length === 1 ? baseName(paths[0] ?? '') : count(paths.length)} ${into(target)}`, async (ctx) => {
        const collectionId = await resolve(target, 'nzb');
        const r = await api['nzb/import']({ collectionId, paths }, { signal: ctx.signal, onProgress: importProgress(ctx) });
        return importReport(r);
      });

    return {
      importPaths,
      importFiles(target, files, skipped = []) {
        if (desktop) {
          return importPaths(
            target,
            files.map((f) => desktop.pathForFile(f)),
          );
        }
        const empty = files.filter((f) => f.size === 0);
        const sent = files.filter((f) => f.size > 0);
        const left = [...skipped, ...empty.map((f) => ({ name: f.name, reason: 'The file is empty.' }))];
        return run('upload', `Upload and import ${sent.length === 1 ? (sent[0]?.name ?? '') : count(sent.length)} ${into(target)}`, async (ctx) => {
          if (sent.length === 0) throw new StrataError('invalid-argument', 'None of the files is an NZB with content; nothing was sent.');
          const collectionId = await resolve(target, 'nzb');
          const transport = uploadTransport(api);
          const ids = await uploadFiles(sent, transport, {
            signal: ctx.signal,
            onProgress: (p) => ctx.progress({ done: p.sent, total: p.total, unit: 'bytes', label: `Uploading ${p.current}` }),
          });
          const r = await api['nzb/import']({ collectionId, uploads: ids }, { signal: ctx.signal, onProgress: importProgress(ctx) }).catch(async (error: unknown) => {
            // An import that never started leaves its uploads held on the host until they expire.
            await Promise.all(ids.map((uploadId) => transport.discard(uploadId).catch(() => undefined)));
            throw error;
          });
          return importReport(r, left);
        });
      },
      indexFolder(target, root, segmentBytes) {
        return run('index', `Index ${root} ${into(target)}`, async (ctx) => {
          const collectionId = await resolve(target, 'local');
          const r = await api['folder/index'](
            { collectionId, root, segmentBytes },
            {
              signal: ctx.signal,
              onProgress: (p) =>
                ctx.progress({ done: Number(p.bytesHashed ?? 0), total: null, unit: 'bytes', label: `${Number(p.filesSeen ?? 0).toLocaleString('en-US')} files seen${typeof p.current === 'string' && p.current ? ` · ${baseName(p.current)}` : ''}` }),
            },
          );
          return indexReport(r, root);
        });
      },
      openSample(onDone) {
        return run('import', SAMPLE_TITLE, async (ctx) => {
          const r = await api['catalog/sample']({}, { signal: ctx.signal, onProgress: (p) => ctx.progress({ done: Number(p.segments ?? 0), total: Number(p.total ?? 0) || null, unit: 'segments', label: 'Generating a realistic sample' }) });
          onDone?.(r.collection);
          return sampleReport(r);
        });
      },
    };
  }, [api, desktop, jobs, queries]);
}

export function useCreateCollection() {
  return useWrite('collections/create');
}

/** Where the catalog lives and which version serves it (the host's folder in a browser). */
export function useAppInfo() {
  return useRead('app/info', {});
}

export { baseName };
