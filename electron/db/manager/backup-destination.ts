/**
 * A backup must never land on the data folder's own files: `backup <data>/control.db` would
 * replace the pointer with a catalog, and a destination inside a store's files would be
 * written over the store it copies. The data folder's own places are refused by name; its
 * backups/ and exports/ folders, and anywhere outside it, are fine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../../shared/errors';
import { STORES_DIR } from '../engines/engine-definition';
import { PORTABLE_DIR } from '../portable-server/layout';
import { SECRETS_DIR } from './store-secrets';
import { ENGINES, engineOf } from '../engines/registry';
import { CONTROL_FILE, ControlDb } from './control-db';

/**
 * The data folder's own entries: control.db, the default place of each engine's store (with
 * a SQLite file's journals), the stores/ folder of moved copies, the portable server's cluster,
 * the secrets and the owner's lock.
 */
const OWN_ENTRIES = [
  CONTROL_FILE,
  `${CONTROL_FILE}-wal`,
  `${CONTROL_FILE}-shm`,
  ...Object.values(ENGINES).flatMap((e) => (e.defaultLocation === null ? [] : [e.defaultLocation, `${e.defaultLocation}-wal`, `${e.defaultLocation}-shm`])),
  STORES_DIR,
  PORTABLE_DIR,
  SECRETS_DIR,
  'owner.lock',
  'owner.json',
];

/** Resolves symbolic links in the part of the path that exists, so a link cannot hide where it leads. */
function realish(target: string): string {
  let existing = path.resolve(target);
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) break;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

const within = (child: string, parent: string): boolean => child === parent || child.startsWith(`${parent}${path.sep}`);

export function refuseBackupIntoStores(dataDir: string, destination: string): void {
  const target = realish(destination);
  const data = realish(dataDir);
  const recorded = fs.existsSync(path.join(dataDir, CONTROL_FILE))
    ? ControlDb.using(dataDir, (c) => c.stores().flatMap((s) => engineOf(s.engine).dataPaths(data, s) ?? []))
    : [];
  const own = [...OWN_ENTRIES.map((entry) => path.join(data, entry)), ...recorded];
  const hit = own.find((place) => within(target, place));
  if (hit) {
    throw invalidArgument(
      `${destination} is ${path.relative(data, hit) === CONTROL_FILE ? 'the data folder\'s control database' : `part of the data folder's own store files (${path.relative(data, hit)})`}; a backup there would overwrite the catalog. Choose a place outside the data folder, or its backups folder (${path.join(dataDir, 'backups')}).`,
      { destination, protected: path.relative(data, hit) },
    );
  }
}
