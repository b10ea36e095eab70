/**
 * The Electron glue of in-app updates, kept thin: it reads what only Electron knows (packaged?,
 * the window), builds electron-updater's updater for this platform from the app-update.yml that
 * electron-builder packs from the `publish` block (GitHub releases), follows each database
 * process for the move guard, and answers the page's two update requests. The decisions are in
 * update-policy.ts and the state machine in updater.ts, both tested under Node.
 */
import { app, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { UPDATE_CHANNELS, type UpdateState } from '../../../shared/ipc/updates';
import { createClient, type StrataClient } from '../../../shared/ipc/client';
import type { Port } from '../../../shared/ipc/protocol';
import { createMoveGuard } from './move-guard';
import { updatesAvailability } from './update-policy';
import { createUpdateService, readUpdateRecord, type Updater } from './updater';

const UPDATE_REQUESTS = [UPDATE_CHANNELS.getState, UPDATE_CHANNELS.restart] as const;

export interface UpdatesGlueOptions {
  dataDir: string;
  smokeTest: boolean;
  log: (line: string) => void;
  window: () => BrowserWindow | null;
  stopDatabase: () => Promise<void>;
  startDatabase: () => void;
}

export interface UpdatesGlue {
  /** Called with each database process main starts: its parent port tells whether a move runs. */
  follow(port: Port): void;
}

/** The updater for the installed build on this platform; electron-updater is loaded only here. */
async function platformUpdater(): Promise<Updater | null> {
  const { NsisUpdater, AppImageUpdater } = await import('electron-updater');
  if (process.platform === 'win32') return new NsisUpdater();
  if (process.platform === 'linux') return new AppImageUpdater();
  return null;
}

export function startUpdates(options: UpdatesGlueOptions): UpdatesGlue {
  const availability = updatesAvailability({
    platform: process.platform,
    env: process.env,
    packaged: app.isPackaged,
    smokeTest: options.smokeTest,
    checkSetting: readUpdateRecord(options.dataDir).check,
  });
  const guard = createMoveGuard();
  let client: StrataClient | null = null;
  const publish = (state: UpdateState): void => options.window()?.webContents.send(UPDATE_CHANNELS.state, state);

  const serviceWith = (updater: Updater | null) =>
    createUpdateService({ updater, availability, guard, dataDir: options.dataDir, publish, log: options.log, stopDatabase: options.stopDatabase, startDatabase: options.startDatabase });
  const service = (availability.on ? platformUpdater() : Promise.resolve(null)).then(serviceWith, (error: unknown) => {
    // A broken update configuration (no app-update.yml) costs the updates, never the app.
    options.log(`the updater could not be created: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return serviceWith(null);
  });
  void service.then((s) => app.whenReady().then(() => s.start()));

  const answer = async (name: (typeof UPDATE_REQUESTS)[number], event: IpcMainInvokeEvent, args: unknown[]): Promise<unknown> => {
    const window = options.window();
    if (!window || event.sender !== window.webContents) throw new Error(`${name} is answered for Strata's own window only.`);
    if (args.length !== 0) throw new Error(`The request ${name} takes no arguments.`);
    const s = await service;
    return name === UPDATE_CHANNELS.getState ? s.state() : s.restart();
  };
  for (const name of UPDATE_REQUESTS) ipcMain.handle(name, (event, ...args: unknown[]) => answer(name, event, args));

  return {
    follow(port) {
      // The supervisor's port outlives restarts: its db/status events tell the guard that a
      // process went (no move) or came back (probe for a move it may already be running).
      client?.close();
      client = createClient(port);
      guard.follow(client);
    },
  };
}
