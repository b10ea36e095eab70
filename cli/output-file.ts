/**
 * An output file the user named must not replace one that is there already unless they said
 * so: a backup or an NZB written over last week's is gone for good. Checked before the call;
 * the file could still appear in between, which only a user racing their own command meets.
 */
import fs from 'node:fs';
import { StrataError } from '../shared/errors';
import type { CommandOptions } from './command';

export const FORCE_OPTION: CommandOptions = {
  force: { type: 'boolean', default: false, description: 'replace the output file if it exists' },
};

export function refuseExistingOutput(file: string, force: boolean, what: string): void {
  if (force) return;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return;
  }
  // An empty folder is a place to write into (a sharded backup is a folder), not something to lose.
  if (stat.isDirectory() && fs.readdirSync(file).length === 0) return;
  throw new StrataError('conflict', `${file} already exists, and ${what} would replace it; nothing was written. Add --force to replace it, or name another file.`, { path: file });
}
