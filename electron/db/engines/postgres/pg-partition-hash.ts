/**
 * Which HASH partition of `segments` PostgreSQL puts a file_id in, computed in the app, so a
 * migration can COPY each partition's rows straight into that partition (and fill it in one
 * transaction) instead of sending every row through the parent's tuple routing.
 *
 * This is PostgreSQL's own rule for a single bigint partition key, as its sources define it
 * (stable since hash partitioning arrived in 11, because it decides where stored rows live):
 * `hashint8extended` folds the 64-bit value to 32 bits (the high half XORed into the low one,
 * inverted for negative values, so an int8 hashes like the int4 of the same value) and hashes
 * that with `hash_bytes_uint32_extended` (Bob Jenkins' lookup3, 64-bit seeded; both are the
 * record hash's, pg-record-hash.ts) and the partitioning seed; the row hash is `hash_combine64(0, h)`, and the partition is that hash
 * modulo the modulus. pg-partition-hash.test.ts checks it against the server's
 * `satisfies_hash_partition`, so a server that ever disagreed would fail there, not in a move.
 */

import { hashInt8, type Hash64 } from './pg-record-hash';

/** HASH_PARTITION_SEED in PostgreSQL's partbounds.h. */
const PARTITION_SEED_HIGH = 0x7a5b2236;
const PARTITION_SEED_LOW = 0x7996dcfd;
/** The constant hash_combine64 adds. */
const COMBINE = 0x49a0f4dd15e5a8e3n;
const MASK_64 = (1n << 64n) - 1n;

const keyHash: Hash64 = { high: 0, low: 0 };

/** The remainder (partition index) of a bigint key under HASH partitioning with `modulus`. */
export function hashPartitionOf(value: number, modulus: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`A partition key must be a safe integer, not ${value}.`);
  const { high, low } = hashInt8(value, keyHash, PARTITION_SEED_HIGH, PARTITION_SEED_LOW);
  const rowHash = ((BigInt(high) << 32n) | BigInt(low)) + COMBINE;
  return Number((rowHash & MASK_64) % BigInt(modulus));
}
