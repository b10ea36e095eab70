/**
 * The lock each entry point of the sharded core takes (locked-core.ts generates the wrapper).
 * Reads share the lock; what spans the catalog and the shards in one step holds it alone; the
 * entry points marked 'in-phases' take it around each phase themselves, because a later phase
 * (purging removed files, a re-sharding's switch) needs it alone and the lock is not reentrant.
 */
import type { LockModes } from './locked-core';

export const SHARDED_LOCKS: LockModes = {
  capabilities: 'value',
  location: 'value',
  shardCount: 'value',
  backupLayout: 'value',
  mapError: 'none',
  close: 'exclusive',
  createCollection: 'shared',
  listCollections: 'shared',
  getCollection: 'shared',
  findCollectionByName: 'shared',
  renameCollection: 'shared',
  deleteCollection: 'in-phases',
  // Each batch and each appended part holds the lock alone while the shards commit.
  startIngest: 'in-phases',
  appendSegments: 'in-phases',
  listFolders: 'shared',
  resolvePath: 'shared',
  listFiles: 'shared',
  getFile: 'shared',
  findFilesByName: 'shared',
  getSegments: 'shared',
  updateSegments: 'exclusive',
  updateFileMtimes: 'shared',
  getNzbSource: 'shared',
  finishNzbSource: 'shared',
  deleteFiles: 'in-phases',
  removeNzbSource: 'in-phases',
  search: 'shared',
  stats: 'shared',
  // Segments merge from every shard, each step under the lock; the catalog's tables step by step too.
  streamTable: 'in-phases',
  streamTableText: 'shared-steps',
  // Not offered by the sharded core (its segments are spread over shards); listed because every member must be.
  streamSegmentsText: 'shared-steps',
  checkIntegrity: 'shared',
  repair: 'exclusive',
  backup: 'shared',
  openLoader: 'exclusive',
  digestTable: 'shared',
  reshard: 'in-phases',
};
