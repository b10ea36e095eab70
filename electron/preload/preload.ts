/**
 * The preload script (sandboxed, context-isolated): receives the renderer's end of the
 * MessageChannel that main brokers to the database process, and exposes exactly the typed
 * API of the handler map as `window.strata`. The page never sees ipcRenderer, a port, or a
 * way to name an arbitrary channel.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createApi, type StrataApi } from '../../shared/ipc/api';
import { createClient } from '../../shared/ipc/client';
import { StrataError } from '../../shared/errors';
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
  for (const l of openListeners) l(paths);
});

export type DesktopApi = StrataApi & { onOpenNzb(listener: (paths: string[]) => void): () => void };

const api = {
  ...createApi(client),
  onOpenNzb(listener: (paths: string[]) => void) {
    openListeners.add(listener);
    return () => openListeners.delete(listener);
  },
} satisfies DesktopApi;

contextBridge.exposeInMainWorld('strata', api);
