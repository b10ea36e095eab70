/**
 * The desktop bridge's requests from the page to main (dialogs, the data folder), as typed
 * ipcRenderer.invoke channels. Main validates every request here before Electron sees it: the
 * page is sandboxed, but what crosses a process boundary is checked on the receiving side.
 * Pure, so the rules are tested without Electron.
 */
import path from 'node:path';
import { z } from 'zod';
import type { FolderPurpose } from '../../shared/ipc/desktop';
import { isWindowsReservedName } from '../../shared/windows-file-name';
import { dataFolderPathProblems } from '../db/win-paths';

const purpose = z.enum(['index', 'nzb-folder', 'data-folder']) satisfies z.ZodType<FolderPurpose>;
/** A file name the save dialog starts with: no folders, no characters Windows refuses. */
const suggestedName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\<>:"|?*\u0000-\u001f]+$/u, 'a file name without folders')
  .refine((n) => n !== '.' && n !== '..')
  .refine((n) => !isWindowsReservedName(n), 'a file name Windows does not reserve for a device (CON, NUL, COM1…)');
const absoluteFolder = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => path.isAbsolute(p) || path.win32.isAbsolute(p), 'an absolute folder path')
  .refine((p) => !p.includes('\u0000'));
/** A data folder the catalog can live in: on Windows, one SQLite can still open files in (long paths). */
const dataFolder = absoluteFolder.superRefine((p, ctx) => {
  for (const problem of dataFolderPathProblems(p)) if (problem.component === 'sqlite') ctx.addIssue({ code: 'custom', message: problem.message });
});

export const DESKTOP_REQUESTS = {
  'strata:pick-nzb-files': z.tuple([]),
  'strata:pick-folder': z.tuple([purpose]),
  'strata:pick-save': z.tuple([z.enum(['nzb', 'backup']), suggestedName]),
  'strata:desktop-info': z.tuple([]),
  'strata:set-data-folder': z.tuple([dataFolder]),
} as const;

export type DesktopRequest = keyof typeof DESKTOP_REQUESTS;
export type DesktopArgs<R extends DesktopRequest> = z.output<(typeof DESKTOP_REQUESTS)[R]>;

export const DESKTOP_REQUEST_NAMES = Object.keys(DESKTOP_REQUESTS) as DesktopRequest[];

/** The request's arguments, or an Error saying what was wrong (main answers with it). */
export function parseDesktopRequest<R extends DesktopRequest>(request: R, args: readonly unknown[]): DesktopArgs<R> {
  const parsed = DESKTOP_REQUESTS[request].safeParse([...args]);
  if (!parsed.success) throw new Error(`The request ${request} is malformed: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
  return parsed.data as DesktopArgs<R>;
}

export interface FolderDialog {
  title: string;
  buttonLabel: string;
  properties: ('openDirectory' | 'createDirectory')[];
}

export function folderDialog(p: FolderPurpose): FolderDialog {
  switch (p) {
    case 'index':
      return { title: 'Choose a folder to index', buttonLabel: 'Index this folder', properties: ['openDirectory'] };
    case 'nzb-folder':
      return { title: 'Choose a folder of NZB files', buttonLabel: 'Import its NZBs', properties: ['openDirectory'] };
    case 'data-folder':
      return { title: 'Choose where Strata keeps its catalog', buttonLabel: 'Use this folder', properties: ['openDirectory', 'createDirectory'] };
  }
}

export function saveDialog(kind: 'nzb' | 'backup', name: string): { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] } {
  return kind === 'nzb'
    ? { title: 'Export NZB', defaultPath: /\.nzb$/iu.test(name) ? name : `${name}.nzb`, filters: [{ name: 'NZB', extensions: ['nzb'] }] }
    : { title: 'Back up the catalog', defaultPath: name, filters: [{ name: 'Strata backup', extensions: ['db'] }] };
}

export const NZB_FILE_FILTERS = [{ name: 'NZB files', extensions: ['nzb', 'gz'] }];
