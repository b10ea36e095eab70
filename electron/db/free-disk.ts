/** Bytes an unprivileged writer may still use on the file system holding `dir`. */
import fs from 'node:fs';

export function freeDiskBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return Number(s.bavail) * Number(s.bsize);
}
