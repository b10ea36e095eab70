/**
 * A folder of this test process's own under `root` (named `<pid>-…`), after removing the folders
 * of earlier processes that are gone: test workers and killed runs may end without their
 * cleanup, and their bundles would pile up.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isRunning } from '../../electron/db/runtime/process-alive';

export function freshRunFolder(root: string): string {
  fs.mkdirSync(root, { recursive: true });
  for (const name of fs.readdirSync(root)) {
    const pid = Number.parseInt(name, 10);
    if (Number.isSafeInteger(pid) && pid > 0 && !isRunning(pid)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(root, `${process.pid}-`));
}
