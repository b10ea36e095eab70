import type { ShardSet } from './shard-set';

/** Items by the shard their file lives in. */
export function groupByShard<T>(shards: ShardSet, items: readonly T[], fileIdOf: (item: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const index = shards.indexOf(fileIdOf(item));
    const list = groups.get(index);
    if (list) list.push(item);
    else groups.set(index, [item]);
  }
  return groups;
}
