/**
 * Electron main: lifecycle, the window, the menu, the single-instance lock, and brokering a
 * MessagePort from each window to the database process. It never runs a query. Every
 * decision (data folder, which files to open, restart policy, window placement) is a pure
 * function beside this file; this module only wires them to Electron.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, MessageChannelMain, app, dialog, ipcMain, screen, type IpcMainInvokeEvent } from 'electron';
import { createClient } from '../../shared/ipc/client';
import { DatabaseSupervisor } from '../db/supervisor/database-supervisor';
import { NzbOpenQueue, forwardedNzbPaths, nzbPathsFromArgv, singleInstanceData } from './argv';
import { bundledPostgresDir } from './bundled-postgres';
import { dataDirDecision, probePortableFolder } from '../db/data-folder/data-dir';
import { choiceFileOf, nextDataDir, readChoice, resolveDataDir, writeChoice } from '../db/data-folder/data-folder-choice';
import { DESKTOP_REQUEST_NAMES, NZB_FILE_FILTERS, folderDialog, parseDesktopRequest, saveDialog, type DesktopRequest } from './desktop-requests';
import { runSmokeTest, smokeExitCode, smokePaths, smokeTestDir, writeSmokeNzb } from './smoke-test';
import { startUpdates } from './updates/electron-updates';
import { utilityDatabase, type UtilityDatabaseChild } from './utility-child';
import { restoreBounds, type WindowState } from './window-state';

const portableExeDir = process.env.PORTABLE_EXECUTABLE_DIR;
const dataDirInput = {
  platform: process.platform,
  env: process.env,
  homedir: app.getPath('home'),
  ...(portableExeDir ? { portable: probePortableFolder(portableExeDir) } : {}),
};
const dataDirChoice = dataDirDecision(dataDirInput);
// The folder chosen in Settings takes effect here, at the start after it was chosen.
const choiceFile = choiceFileOf(dataDirInput);
let smokeDir: string | null = null;
try {
  smokeDir = smokeTestDir(process.argv, process.cwd());
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  app.exit(2);
}
// A smoke test runs on a data folder of its own, never the user's.
const dataDir = smokeDir ? smokePaths(smokeDir).dataDir : resolveDataDir(dataDirInput, readChoice(choiceFile));
// The database process starts the portable PostgreSQL server from here when its store is on it.
process.env.STRATA_POSTGRES_RESOURCES ??= bundledPostgresDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, appPath: app.getAppPath() });
fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
app.setPath('userData', dataDir);

const logFile = path.join(dataDir, 'logs', 'main.log');
const log = (line: string): void => fs.appendFileSync(logFile, `${new Date().toISOString()} ${line}\n`);
process.on('uncaughtException', (error) => log(`uncaught: ${error.stack ?? String(error)}`));
process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${String(reason)}`));
if (dataDirChoice.note) log(dataDirChoice.note);

// The files this launch was asked to open travel with the request: the running instance gets
// them as parsed here, not from the argv Chromium reshapes on the way (see argv.ts).
if (!app.requestSingleInstanceLock(singleInstanceData(process.argv, process.cwd()))) {
  // Another Strata owns this data folder; it receives our files through 'second-instance'.
  app.quit();
} else {
  let window: BrowserWindow | null = null;
  let quitting = false;
  const statePath = path.join(dataDir, 'window-state.json');

  // In-app updates (electron/main/updates): off in portable mode, at most one check a day, never
  // while a move runs; the page offers the restart. Installing closes the database process
  // first, as a quit does, and starts it again if the installer could not be started.
  const updates = startUpdates({
    dataDir,
    smokeTest: smokeDir !== null,
    log,
    window: () => window,
    stopDatabase: async () => {
      quitting = true;
      await supervisor.stop();
    },
    startDatabase: () => {
      quitting = false;
      supervisor.start();
    },
  });

  const libraryShown = async (): Promise<void> => {
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      const shown = (await window?.webContents.executeJavaScript(`document.querySelector('main[aria-label="Library"] nav[aria-label="Collections"]') !== null`)) === true;
      if (shown) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('the window showed no library within 60 s');
  };

  const runSmoke = async (dir: string): Promise<void> => {
    // Main's own client of the database process: the smoke test only (main never queries otherwise).
    const client = createClient(supervisor.port());
    const report = await runSmokeTest(client, writeSmokeNzb(dir, Date.now()), libraryShown);
    fs.writeFileSync(smokePaths(dir).report, `${JSON.stringify(report, null, 2)}\n`);
    client.close();
    log(`smoke test ${report.ok ? 'passed' : `failed at ${report.failedStep}`}`);
    // The database process closes its store first, as at any quit.
    quitting = true;
    await supervisor.stop();
    app.exit(smokeExitCode(report));
  };

  const connectWindow = (): void => {
    const db = supervisor.current;
    if (!window || !db) return;
    const { port1, port2 } = new MessageChannelMain();
    db.connect(port1);
    window.webContents.postMessage('strata:port', null, [port2]);
  };

  // The restart loop is the one the Node tests run (electron/db/supervisor); each new process
  // gets the window's port again.
  const supervisor = new DatabaseSupervisor<UtilityDatabaseChild>(dataDir, utilityDatabase(path.join(__dirname, '../db/database-process.js')), {
    onStarted: () => connectWindow(),
    onExit: (code, signal) => log(`database process exited with ${signal ?? code}`),
    onGaveUp: () => void dialog.showMessageBox({ type: 'error', message: 'The Strata database keeps stopping.', detail: `See ${logFile}.` }),
  });
  updates.follow(supervisor.port());

  const readState = (): WindowState | null => {
    try {
      return JSON.parse(fs.readFileSync(statePath, 'utf8')) as WindowState;
    } catch {
      return null;
    }
  };

  // Files forwarded while the page is still loading wait for it (see NzbOpenQueue).
  const nzbQueue = new NzbOpenQueue();
  const openNzbs = (paths: string[]): void => nzbQueue.open(paths);

  const createWindow = (): void => {
    const placed = restoreBounds(
      readState(),
      screen.getAllDisplays().map((d) => d.workArea),
    );
    window = new BrowserWindow({
      ...placed.bounds,
      show: false,
      title: 'Strata',
      backgroundColor: '#101418',
      webPreferences: {
        preload: path.join(__dirname, '../preload/preload.cjs'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
      },
    });
    if (placed.maximized) window.maximize();
    window.once('ready-to-show', () => window?.show());
    window.webContents.once('did-finish-load', () => {
      connectWindow();
      if (smokeDir)
        runSmoke(smokeDir).catch((error: unknown) => {
          log(`smoke test could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          app.exit(1);
        });
      else nzbQueue.ready((paths) => window?.webContents.send('strata:open-nzb', paths), nzbPathsFromArgv(process.argv, process.cwd()));
    });
    window.on('close', () => {
      if (!window) return;
      const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized() };
      fs.writeFileSync(statePath, JSON.stringify(state));
    });
    window.on('closed', () => (window = null));
    const devServer = process.env.VITE_DEV_SERVER_URL;
    if (devServer) void window.loadURL(devServer);
    else void window.loadFile(path.join(__dirname, '../../dist/renderer/index.html'));
  };

  const buildMenu = (): void => {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate([
        {
          label: 'File',
          submenu: [
            {
              label: 'Import NZB…',
              accelerator: 'CmdOrCtrl+O',
              click: () => {
                void dialog
                  .showOpenDialog({ properties: ['openFile', 'multiSelections'], filters: [{ name: 'NZB', extensions: ['nzb', 'gz'] }] })
                  .then((picked) => {
                    if (!picked.canceled) openNzbs(picked.filePaths);
                  });
              },
            },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
        { role: 'editMenu' },
        { label: 'View', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
      ]),
    );
  };

  const desktopInfo = () => ({
    dataDir,
    nextDataDir: nextDataDir(dataDir, readChoice(choiceFile), process.platform),
    // A portable copy whose folder allowed no data folder is shown as what it now is: app-data.
    portable: Boolean(portableExeDir) && dataDirChoice.kind !== 'portable-fallback',
    version: app.getVersion(),
  });

  /** The desktop bridge's requests: from our own window only, arguments validated before use. */
  const desktopHandlers: { [R in DesktopRequest]: (event: IpcMainInvokeEvent, args: readonly unknown[]) => Promise<unknown> } = {
    'strata:pick-nzb-files': async () => {
      parseDesktopRequest('strata:pick-nzb-files', []);
      const picked = await (window ? dialog.showOpenDialog(window, { properties: ['openFile', 'multiSelections'], filters: NZB_FILE_FILTERS }) : dialog.showOpenDialog({ properties: ['openFile', 'multiSelections'], filters: NZB_FILE_FILTERS }));
      return picked.canceled ? [] : picked.filePaths;
    },
    'strata:pick-folder': async (_e, args) => {
      const [purpose] = parseDesktopRequest('strata:pick-folder', args);
      const options = folderDialog(purpose);
      const picked = await (window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options));
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
    'strata:pick-save': async (_e, args) => {
      const [kind, name] = parseDesktopRequest('strata:pick-save', args);
      const options = saveDialog(kind, name);
      const picked = await (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options));
      return picked.canceled ? null : (picked.filePath ?? null);
    },
    'strata:desktop-info': async () => desktopInfo(),
    'strata:set-data-folder': async (_e, args) => {
      const [folder] = parseDesktopRequest('strata:set-data-folder', args);
      writeChoice(choiceFile, folder);
      log(`data folder for the next start: ${folder}`);
      return desktopInfo();
    },
  };
  for (const name of DESKTOP_REQUEST_NAMES) {
    ipcMain.handle(name, (event, ...args: unknown[]) => {
      if (!window || event.sender !== window.webContents) throw new Error(`${name} is answered for Strata's own window only.`);
      return desktopHandlers[name](event, args);
    });
  }

  app.on('second-instance', (_event, argv, cwd, additionalData) => {
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    openNzbs(forwardedNzbPaths(argv, cwd, additionalData));
  });

  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    if (!supervisor.current) return;
    // Quit waits for the database process to checkpoint and close its store (a kill would skip
    // that on Windows, where it is TerminateProcess); the supervisor kills it only if it hangs.
    event.preventDefault();
    void supervisor.stop().then(() => app.quit());
  });

  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    buildMenu();
    supervisor.start();
    createWindow();
  });
}
