/**
 * Names the files inside one NZB's folder: subject names, made unique, true duplicates dropped.
 * It sees every file of the document in order, wherever the parsing runs (the parse worker, or
 * the importing thread for a small NZB).
 */
import { createHash } from 'node:crypto';
import { fileNameFromSubject } from './subject-name';
import type { NzbFile } from './nzb-types';

/**
 * 53 bits of SHA-1 as a number: the namer keeps one or two per file of an NZB, so they are
 * numbers rather than strings (a parsed string may also be a slice that keeps the whole chunk
 * it was read from alive). A false match needs two different names, or two different first
 * articles, to agree in 53 bits.
 */
const digest53 = (text: string): number => {
  const h = createHash('sha1').update(text).digest();
  return h.readUIntBE(0, 6) * 32 + (h.readUInt8(6) >>> 3);
};

export class FileNamer {
  /** First article of the first file of each name. */
  private readonly firstArticle = new Map<number, number>();
  private readonly taken = new Set<number>();
  private counter = 0;
  duplicates = 0;

  /** The file's name in the folder, or null for a repeat of an earlier file (same name, same first article). */
  name(file: NzbFile): string | null {
    this.counter++;
    const base = (fileNameFromSubject(file.subject) ?? `file ${this.counter}`).replace(/^\.+$/u, `file ${this.counter}`);
    const article = digest53(file.segments[0]?.messageId ?? '');
    const key = digest53(base.toLowerCase());
    if (this.firstArticle.get(key) === article) {
      this.duplicates++;
      return null;
    }
    let name = base;
    for (let n = 2; this.taken.has(digest53(name.toLowerCase())); n++) {
      const dot = base.lastIndexOf('.');
      name = dot > 0 ? `${base.slice(0, dot)} (${n})${base.slice(dot)}` : `${base} (${n})`;
    }
    if (!this.firstArticle.has(key)) this.firstArticle.set(key, article);
    this.taken.add(digest53(name.toLowerCase()));
    return name;
  }
}
