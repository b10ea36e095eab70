import type { StoreCapabilities } from '../../store';

export const SQLITE_CAPABILITIES: StoreCapabilities = {
  engine: 'sqlite',
  tier: 1,
  // One file has one writer at a time (WAL lets readers continue alongside it).
  concurrentWriters: 1,
  fileBacked: true,
  onlineBackup: true,
  fullText: 'fts5',
};
