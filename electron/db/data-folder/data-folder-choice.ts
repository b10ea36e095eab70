/**
 * The data folder the user chose in Settings, kept for the next start. It cannot live in the
 * data folder it names, so it is kept in the default one (the app-data folder, or data/ beside
 * a portable copy), in data-folder.json. STRATA_DATA_DIR still wins over it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultDataDir, type DataDirInput } from './data-dir';

export const CHOICE_FILE = 'data-folder.json';

/** The default data folder, ignoring STRATA_DATA_DIR: where the choice itself is kept. */
export function choiceFileOf(input: DataDirInput): string {
  const base = defaultDataDir({ ...input, env: { ...input.env, STRATA_DATA_DIR: undefined } });
  return (input.platform === 'win32' ? path.win32 : path).join(base, CHOICE_FILE);
}

/** The chosen folder, or null when none was chosen or the file is unreadable or malformed. */
export function readChoice(file: string, read: (f: string) => string = (f) => fs.readFileSync(f, 'utf8')): string | null {
  try {
    const parsed: unknown = JSON.parse(read(file));
    const folder = typeof parsed === 'object' && parsed !== null ? (parsed as { dataDir?: unknown }).dataDir : undefined;
    return typeof folder === 'string' && folder.length > 0 && (path.isAbsolute(folder) || path.win32.isAbsolute(folder)) ? folder : null;
  } catch {
    return null;
  }
}

export function writeChoice(file: string, folder: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Written beside and renamed, so a crash never leaves a half file that would lose the choice.
  const temp = `${file}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify({ dataDir: folder })}\n`);
  fs.renameSync(temp, file);
}

/** The folder this start uses: STRATA_DATA_DIR, else the user's choice, else the default. */
export function resolveDataDir(input: DataDirInput, chosen: string | null): string {
  if (input.env.STRATA_DATA_DIR) return input.env.STRATA_DATA_DIR;
  return chosen ?? defaultDataDir(input);
}

/** What Settings shows: the folder in use, and the one chosen for the next start when it differs. */
export function nextDataDir(current: string, chosen: string | null, platform: NodeJS.Platform): string | null {
  if (chosen === null) return null;
  const p = platform === 'win32' ? path.win32 : path;
  const same = platform === 'win32' ? p.resolve(chosen).toLowerCase() === p.resolve(current).toLowerCase() : p.resolve(chosen) === p.resolve(current);
  return same ? null : chosen;
}
