import type { StoreCapabilities } from '../../store';

export const PGLITE_CAPABILITIES: StoreCapabilities = {
  engine: 'pglite',
  tier: 3,
  // One in-process connection: writes are serialized through one queue.
  concurrentWriters: 1,
  fileBacked: true,
  // The backup reads one snapshot in a transaction, which holds the only connection.
  onlineBackup: false,
  fullText: 'tsvector',
};

export function postgresCapabilities(poolSize: number): StoreCapabilities {
  return {
    engine: 'postgres',
    tier: 3,
    // Each pooled connection can run an ingest transaction; row locks keep the counters right.
    concurrentWriters: poolSize,
    fileBacked: false,
    // The backup reads a REPEATABLE READ snapshot on its own connection while writers go on.
    onlineBackup: true,
    fullText: 'tsvector',
  };
}
