/** Tier 1: one SQLite file. */
import fs from 'node:fs';
import path from 'node:path';
import { STORES_DIR, fileState, type EngineDefinition } from '../engine-definition';
import { SqliteStore } from './sqlite-store';

/** The one-file catalog's name, at the data folder's root or in a move's folder under stores/. */
export const CATALOG_FILE = 'strata.db';
/** A move's copy gets a folder of its own under stores/, named with this prefix. */
const COPY_PREFIX = 'sqlite-';
/** The file and the journal files SQLite keeps beside it in WAL mode. */
const withJournals = (file: string): string[] => ['', '-wal', '-shm'].map((suffix) => `${file}${suffix}`);

export const sqliteEngine: EngineDefinition = {
  name: 'sqlite',
  tier: 1,
  noun: 'one-file catalog',
  storedOn: 'one SQLite file',
  keptIn: () => 'one SQLite file',
  defaultLocation: CATALOG_FILE,
  predatesControl: true,
  sharedAccess: false,
  shards: null,
  // Measured: 100k -> 400k segments (106,845 -> 429,050 rows) moved by `strata migrate`, the
  // target measured with `du -sb`: 8.25 MB -> 33.9 MB, 79.7 bytes per row, nothing fixed worth
  // counting. 108,000 rows/s with verification from a 1M-segment catalog (1,078,147 rows).
  copyCost: { rowsPerSecond: 108_000, fixedBytes: 1_000_000, bytesPerRow: 80, floorBytes: 16_000_000 },
  moveNote: null,
  serverOf: () => null,
  targetServer: () => null,
  newTarget: (_dataDir, _spec, tag) => ({ location: path.join(STORES_DIR, `${COPY_PREFIX}${tag}`, CATALOG_FILE), options: {} }),
  copyLocation: (folder) => (folder.startsWith(COPY_PREFIX) ? path.join(STORES_DIR, folder, CATALOG_FILE) : null),
  foundOptions: () => ({}),
  foundData: () => null,
  // A one-file store counts its journal files too.
  dataPaths: (dataDir, record) => withJournals(path.resolve(dataDir, record.location)),
  open: (dataDir, record, options) => SqliteStore.open(path.resolve(dataDir, record.location), { ...options.sqlite, ...(options.readOnly ? { readOnly: true } : {}) }),
  writesToRead: () => false,
  presence: (dataDir, record) => fileState(path.resolve(dataDir, record.location)),
  removeData: (dataDir, record) => {
    const where = path.resolve(dataDir, record.location);
    if (path.basename(path.dirname(where)).startsWith(COPY_PREFIX)) {
      fs.rmSync(path.dirname(where), { recursive: true, force: true });
    } else {
      // The folder's first store: its file at the root, with its journal files.
      for (const file of withJournals(where)) fs.rmSync(file, { force: true });
    }
    return Promise.resolve();
  },
};
