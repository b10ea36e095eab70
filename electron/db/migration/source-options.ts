/**
 * How a migration opens its source. The source is read once, front to back, in key order: the
 * 256 MiB memory-mapped window and 64 MiB page cache that serve the app's random lookups would
 * only fill with pages that are never read again, and mapped pages count in the process's
 * resident memory, which a migration keeps bounded whatever the catalog's size.
 */
import type { OpenStoreOptions } from '../open-store';

const STREAMING_READS = { mmapMiB: 0, cacheMiB: 8 };

export const MIGRATION_SOURCE_OPTIONS: OpenStoreOptions = {
  sqlite: { tuning: STREAMING_READS },
  sharded: { tuning: STREAMING_READS, shardTuning: STREAMING_READS },
};
