/**
 * File names Strata makes up (an exported NZB named after a collection, folder or file) are
 * made safe for Windows on every platform: an NZB written on Linux or by the browser host is
 * copied to a Windows machine sooner or later, and a name Windows cannot create there fails
 * late and far from its cause. Pure and free of Node imports, so the renderer uses it too.
 *
 * The rules are those of Microsoft's "Naming Files, Paths, and Namespaces":
 * - no < > : " / \ | ? * and no control characters (0-31; 127 is added as it is invisible);
 * - no device names as the part before the first dot, in any case, whatever follows:
 *   CON, PRN, AUX, NUL, COM0-COM9, LPT0-LPT9 and the superscript COM¹ COM² COM³ LPT¹ LPT² LPT³
 *   (`nul.txt` and `NUL.tar.gz` both open the NUL device); CONIN$ and CONOUT$ likewise;
 * - no trailing dots or spaces: Windows strips them, so the file would get another name than
 *   the one asked for (and "a." and "a" would collide);
 * - a component is at most 255 UTF-16 units; Strata stays well below to leave room for the
 *   folder's own path (see win-paths.ts on MAX_PATH) and for a uniqueness suffix.
 */

const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/gu;
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/iu;

/** The default length a made-up name is cut to, extension included. */
export const SAFE_NAME_LENGTH = 200;

/** True when Windows treats `name` (a single component) as a device, not a file. */
export function isWindowsReservedName(name: string): boolean {
  // "CON .txt" is CON too: trailing spaces of the part before the dot are ignored by Windows.
  const stem = name.split('.')[0]?.replace(/ +$/u, '') ?? '';
  return DEVICE.test(stem);
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

export interface SafeNameOptions {
  /** Appended when the name does not already end with it, e.g. '.nzb' (case-insensitive). */
  extension?: string;
  /** At most this many UTF-16 units, extension included. Default SAFE_NAME_LENGTH. */
  maxLength?: number;
  /** Used when nothing usable is left of the name. Default 'export'. */
  fallback?: string;
}

/**
 * A name Windows (and every other desktop system) can create, as close to `name` as possible:
 * forbidden characters become `_`, runs of them one `_`; trailing dots and spaces go; a
 * device name gets `_` after its stem (`CON.nzb` becomes `CON_.nzb`); long names are cut.
 */
export function windowsSafeFileName(name: string, options: SafeNameOptions = {}): string {
  const extension = options.extension ?? '';
  const max = Math.max((options.maxLength ?? SAFE_NAME_LENGTH) - extension.length, 1);
  let stem = name.normalize('NFC').replace(FORBIDDEN, '_').replace(/_{2,}/gu, '_');
  if (extension && stem.toLowerCase().endsWith(extension.toLowerCase())) stem = stem.slice(0, -extension.length);
  const tidy = (s: string): string => s.replace(/[. ]+$/u, '').replace(/^ +/u, '');
  stem = tidy(cut(tidy(stem), max));
  if (stem === '' || /^\.+$/u.test(stem)) stem = options.fallback ?? 'export';
  if (isWindowsReservedName(stem + extension)) {
    const dot = stem.indexOf('.');
    stem = dot < 0 ? `${stem.replace(/ +$/u, '')}_` : `${stem.slice(0, dot).replace(/ +$/u, '')}_${stem.slice(dot)}`;
  }
  return stem + extension;
}

/**
 * `name`, or `name (2)`, `name (3)` … before its extension: the first that `taken` does not
 * hold. Compared case-insensitively, as Windows (and macOS by default) compare names, so two
 * exports in one folder never land on one file there. The extension is the last dot's, or
 * `extension` when given (for double extensions such as `.nzb.gz`).
 */
export function uniqueFileName(name: string, taken: (candidate: string) => boolean, extension?: string): string {
  if (!taken(name)) return name;
  const ext = extension !== undefined && name.toLowerCase().endsWith(extension.toLowerCase()) ? name.slice(name.length - extension.length) : name.lastIndexOf('.') > 0 ? name.slice(name.lastIndexOf('.')) : '';
  const base = name.slice(0, name.length - ext.length);
  for (let n = 2; ; n += 1) {
    const candidate = `${base} (${n})${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

/** A `taken` test over names already used, compared as Windows compares them. */
export function takenIn(names: Iterable<string>): (candidate: string) => boolean {
  const lower = new Set([...names].map((n) => n.toLowerCase()));
  return (candidate) => lower.has(candidate.toLowerCase());
}
