/**
 * The file name inside a Usenet subject. Posters differ: most quote the name
 * (`[01/27] - "name.ext" yEnc (1/40) 12345`), some do not (`Here's your file!  name.r01 (1/2)`),
 * and obfuscated posts are one random token. The order below goes from the most to the least
 * certain reading.
 */

const QUOTED = /"([^"]+)"/u;
const YENC_TAIL = /\s*yEnc\s*(\(\d+\/\d+\))?\s*(\d+)?\s*$/iu;
const PART_COUNTER = /\s*[([]\d+\/\d+[)\]]\s*/gu;
const LOOKS_LIKE_FILE = /[^\s"'<>|]+\.[A-Za-z0-9]{1,5}(?:\.[A-Za-z0-9]{1,5})?(?=\s|$)/gu;

const clean = (name: string): string => name.trim().replace(/[\\/]/gu, '_');

export function fileNameFromSubject(subject: string): string | null {
  const quoted = QUOTED.exec(subject);
  if (quoted?.[1] && quoted[1].trim()) return clean(quoted[1]);
  const withoutYenc = subject.replace(YENC_TAIL, '');
  const candidates = withoutYenc.match(LOOKS_LIKE_FILE);
  if (candidates && candidates.length > 0) return clean(candidates[candidates.length - 1] as string);
  const bare = withoutYenc.replace(PART_COUNTER, ' ').replace(/\s+-\s*$/u, '').trim();
  return bare ? clean(bare) : null;
}

/** The size a yEnc subject states at its end (`yEnc (1/40) 30720000`), if any. */
export function sizeFromSubject(subject: string): number | null {
  const m = /yEnc\s*\(\d+\/\d+\)\s*(\d+)\s*$/iu.exec(subject);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}
