/**
 * Which shard a file's segments live in: jump consistent hashing (Lamping & Veach, 2014) of
 * the file id, after a fixed 64-bit mix. Stable across processes, machines and versions (no
 * seeds, no language-default hashing), and minimal under re-sharding: going from N to M > N
 * shards, a key either stays or moves to one of the new shards, so only ~(M-N)/M of the rows
 * move.
 */

const MASK64 = (1n << 64n) - 1n;

/** splitmix64's finaliser: spreads sequential ids over the whole 64-bit range. */
export function mix64(value: bigint): bigint {
  let z = (value + 0x9e3779b97f4a7c15n) & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

export function jumpHash(key: bigint, buckets: number): number {
  if (!Number.isInteger(buckets) || buckets < 1) throw new RangeError(`a shard count must be a positive whole number; got ${buckets}`);
  let k = key & MASK64;
  let b = -1;
  let j = 0;
  while (j < buckets) {
    b = j;
    k = (k * 2862933555777941757n + 1n) & MASK64;
    j = Math.floor((b + 1) * (2 ** 31 / (Number(k >> 33n) + 1)));
  }
  return b;
}

/** The shard of a file's segments among `shards`. */
export function shardOf(fileId: number, shards: number): number {
  return jumpHash(mix64(BigInt(fileId)), shards);
}
