/** `shard_of(file_id, shard_count)` inside SQLite, for checks and re-sharding that scan shards. */
import type { SqliteDatabase } from '../sqlite/open-database';
import { shardOf } from './jump-hash';

export function registerShardOf(db: SqliteDatabase): void {
  // Scans meet rows grouped by file, so remembering the last answer skips most hashing.
  let lastId = -1;
  let lastCount = -1;
  let lastShard = -1;
  db.function('shard_of', { deterministic: true }, (fileId: unknown, count: unknown) => {
    const id = Number(fileId);
    const n = Number(count);
    if (id !== lastId || n !== lastCount) {
      lastId = id;
      lastCount = n;
      lastShard = shardOf(id, n);
    }
    return lastShard;
  });
}
