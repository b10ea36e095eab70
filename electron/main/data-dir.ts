/**
 * Where the data folder is, as a pure function of the environment so it is tested under Node
 * and the Electron glue only passes its values in. Installed: the user's app-data folder
 * (what Electron's app.getPath('userData') resolves to). Portable: `data/` beside the
 * executable, which electron-builder's portable launcher names in PORTABLE_EXECUTABLE_DIR.
 */
import path from 'node:path';

export const APP_FOLDER_NAME = 'Strata';

export interface DataDirInput {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

export function defaultDataDir({ platform, env, homedir }: DataDirInput): string {
  const override = env.STRATA_DATA_DIR;
  if (override) return override;
  const portable = env.PORTABLE_EXECUTABLE_DIR;
  if (portable) return (platform === 'win32' ? path.win32 : path).join(portable, 'data');
  switch (platform) {
    case 'win32':
      return path.win32.join(env.APPDATA ?? path.win32.join(homedir, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return path.posix.join(homedir, 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(homedir, '.config'), APP_FOLDER_NAME);
  }
}
