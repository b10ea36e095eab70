/**
 * The preload script (sandboxed, context-isolated): receives the renderer's end of the
 * MessageChannel that main brokers to the database process, and exposes exactly the typed
 * API of the handler map as `window.strata`. The page never sees ipcRenderer, a port, or a
 * way to name an arbitrary channel.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi, type StrataApi } from '../../shared/ipc/api';
import { createClient } from '../../shared/ipc/client';
import { StrataError } from '../../shared/errors';
import type { DesktopBridge, DesktopInfo, FolderPurpose } from '../../shared/ipc/desktop';
import { UPDATE_CHANNELS, restartAnswerSchema, updateStateSchema, type UpdateState, type UpdatesBridge } from '../../shared/ipc/updates';
import type { Port } from '../../shared/ipc/protocol';

let current: MessagePort | null = null;
const queued: unknown[] = [];
const listeners = new Set<(message: unknown) => void>();

const port: Port = {
  send: (m) => {
    if (current) current.postMessage(m);
    else queued.push(m);
  },
  onMessage: (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

const client = createClient(port);

// A new port arrives at start and again whenever main restarts the database process.
ipcRenderer.on('strata:port', (event) => {
  const next = event.ports[0];
  if (!next) return;
  if (current) {
    current.close();
    client.failPending(new StrataError('internal', 'The database process restarted while this request ran; committed data is safe, try again.'));
    // The page learns what happened; the new process says 'ready' once it serves this window.
    const notice = { t: 'event', name: 'db/status', payload: { state: 'restarting', detail: 'The database process stopped and was restarted.' } };
    for (const l of listeners) l(notice);
  }
  current = next;
  next.onmessage = (e: MessageEvent) => {
    for (const l of listeners) l(e.data);
  };
  for (const m of queued.splice(0)) next.postMessage(m);
});

const openListeners = new Set<(paths: string[]) => void>();
ipcRenderer.on('strata:open-nzb', (_event, paths: unknown) => {
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) return;
  // Files opened at launch arrive before the page listens: held until it does.
  if (openListeners.size === 0) heldOpens.push(paths);
  for (const l of openListeners) l(paths);
});
const heldOpens: string[][] = [];

const strings = (v: unknown): string[] => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : []);
const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const infoOf = (v: unknown): DesktopInfo => {
  const i = v as Partial<DesktopInfo> | null;
  if (!i || typeof i.dataDir !== 'string' || typeof i.version !== 'string') throw new StrataError('internal', 'The app did not say where its data folder is.');
  return { dataDir: i.dataDir, nextDataDir: typeof i.nextDataDir === 'string' ? i.nextDataDir : null, portable: i.portable === true, version: i.version };
};

// Update states from main (electron/main/updates), held to their schema before the page sees them.
const updateListeners = new Set<(state: UpdateState) => void>();
ipcRenderer.on(UPDATE_CHANNELS.state, (_event, raw: unknown) => {
  const parsed = updateStateSchema.safeParse(raw);
  if (!parsed.success) return;
  for (const l of updateListeners) l(parsed.data);
});
const updates = {
  state: async () => updateStateSchema.parse(await ipcRenderer.invoke(UPDATE_CHANNELS.getState)),
  onState(listener: (state: UpdateState) => void) {
    updateListeners.add(listener);
    return () => updateListeners.delete(listener);
  },
  restart: async () => restartAnswerSchema.parse(await ipcRenderer.invoke(UPDATE_CHANNELS.restart)),
} satisfies UpdatesBridge;

/**
 * What only the desktop app can do. Each dialog is one named request that main validates (see
 * electron/main/desktop-requests.ts); answers are checked here before the page gets them.
 */
const desktop = {
  pickNzbFiles: async () => strings(await ipcRenderer.invoke('strata:pick-nzb-files')),
  pickFolder: async (purpose: FolderPurpose) => stringOrNull(await ipcRenderer.invoke('strata:pick-folder', purpose)),
  pickSaveLocation: async (kind: 'nzb' | 'backup', suggestedName: string) => stringOrNull(await ipcRenderer.invoke('strata:pick-save', kind, suggestedName)),
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  onOpenNzb(listener: (paths: string[]) => void) {
    openListeners.add(listener);
    for (const paths of heldOpens.splice(0)) listener(paths);
    return () => openListeners.delete(listener);
  },
  info: async () => infoOf(await ipcRenderer.invoke('strata:desktop-info')),
  setDataFolder: async (folder: string) => infoOf(await ipcRenderer.invoke('strata:set-data-folder', folder)),
  updates,
} satisfies DesktopBridge;

export type DesktopApi = StrataApi & { desktop: DesktopBridge };

const api = { ...createApi(client), desktop } satisfies DesktopApi;

contextBridge.exposeInMainWorld('strata', api);
