/**
 * Where the packed PostgreSQL server (`<platform>.7z` + `<platform>.json`) is: electron-builder
 * copies resources/postgres to `<resources>/postgres` of an installed or portable app; a
 * development checkout uses the repository's resources/postgres, filled by
 * `npm run pack:postgres`. A pure function so the Electron glue only passes its values in.
 */
import path from 'node:path';

export interface BundledPostgresInput {
  isPackaged: boolean;
  /** Electron's process.resourcesPath. */
  resourcesPath: string;
  /** The app's root folder (app.getAppPath()): the repository in development. */
  appPath: string;
}

export function bundledPostgresDir({ isPackaged, resourcesPath, appPath }: BundledPostgresInput): string {
  return isPackaged ? path.join(resourcesPath, 'postgres') : path.join(appPath, 'resources', 'postgres');
}
