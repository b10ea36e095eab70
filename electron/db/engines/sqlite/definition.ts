/** Tier 1: one SQLite file. */
import fs from 'node:fs';
import path from 'node:path';
import { fileState, type EngineDefinition } from '../engine-definition';
import { SqliteStore } from './sqlite-store';

/** The one-file catalog's name, at the data folder's root or in a move's folder under stores/. */
export const CATALOG_FILE = 'strata.db';
/** A move's copy gets a folder of its own under stores/, named with this prefix. */
const COPY_PREFIX = 'sqlite-';

export const sqliteEngine: EngineDefinition = {
  name: 'sqlite',
  noun: 'one-file catalog',
  defaultLocation: CATALOG_FILE,
  newTarget: (_dataDir, _spec, tag) => ({ location: path.join('stores', `${COPY_PREFIX}${tag}`, CATALOG_FILE), options: {} }),
  open: (dataDir, record, options) => SqliteStore.open(path.resolve(dataDir, record.location), { ...options.sqlite, ...(options.readOnly ? { readOnly: true } : {}) }),
  writesToRead: () => false,
  presence: (dataDir, record) => fileState(path.resolve(dataDir, record.location)),
  removeData: (dataDir, record) => {
    const where = path.resolve(dataDir, record.location);
    if (path.basename(path.dirname(where)).startsWith(COPY_PREFIX)) {
      fs.rmSync(path.dirname(where), { recursive: true, force: true });
    } else {
      // The folder's first store: its file at the root, with its journal files.
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${where}${suffix}`, { force: true });
    }
    return Promise.resolve();
  },
};
