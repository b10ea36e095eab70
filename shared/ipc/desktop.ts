import type { UpdatesBridge } from './updates';

/**
 * What only the desktop app can do, beside the handler map: Electron's own dialogs, the
 * real path of a dropped file, and in-app updates. The preload exposes it as `window.strata.desktop`; in a
 * browser on the headless host it is absent and the page uploads bytes instead.
 */
export interface DesktopBridge {
  /** Electron's open dialog for .nzb / .nzb.gz files; [] when the user cancels. */
  pickNzbFiles(): Promise<string[]>;
  /** Electron's folder dialog (its title and button follow the purpose); null when the user cancels. */
  pickFolder(purpose: FolderPurpose): Promise<string | null>;
  /** Electron's save dialog for an export or a backup; null when the user cancels. */
  pickSaveLocation(kind: 'nzb' | 'backup', suggestedName: string): Promise<string | null>;
  /** The file-system path of a File dropped on the window (webUtils.getPathForFile). */
  pathForFile(file: File): string;
  /** .nzb files opened from Explorer or File > Import NZB… (main sends their paths). */
  onOpenNzb(listener: (paths: string[]) => void): () => void;
  /** Where the catalog lives and whether the app runs from a portable folder. */
  info(): Promise<DesktopInfo>;
  /** Chooses another data folder; it takes effect when the app restarts. */
  setDataFolder(folder: string): Promise<DesktopInfo>;
  /** The app's own updates (shared/ipc/updates.ts); a browser has none, as it has no bridge. */
  updates: UpdatesBridge;
}

export interface DesktopInfo {
  dataDir: string;
  /** The folder chosen for the next start, when it differs from the one in use. */
  nextDataDir: string | null;
  portable: boolean;
  version: string;
}

/** What a folder is chosen for: indexing, importing the NZBs in it, or keeping the catalog. */
export type FolderPurpose = 'index' | 'nzb-folder' | 'data-folder';
