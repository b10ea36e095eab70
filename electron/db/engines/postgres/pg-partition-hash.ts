/**
 * Which HASH partition of `segments` PostgreSQL puts a file_id in, computed in the app, so a
 * migration can COPY each partition's rows straight into that partition (and fill it in one
 * transaction) instead of sending every row through the parent's tuple routing.
 *
 * This is PostgreSQL's own rule for a single bigint partition key, as its sources define it
 * (stable since hash partitioning arrived in 11, because it decides where stored rows live):
 * `hashint8extended` folds the 64-bit value to 32 bits (the high half XORed into the low one,
 * inverted for negative values, so an int8 hashes like the int4 of the same value) and hashes
 * that with `hash_bytes_uint32_extended` (Bob Jenkins' lookup3, 64-bit seeded) and the
 * partitioning seed; the row hash is `hash_combine64(0, h)`, and the partition is that hash
 * modulo the modulus. pg-partition-hash.test.ts checks it against the server's
 * `satisfies_hash_partition`, so a server that ever disagreed would fail there, not in a move.
 */

/** HASH_PARTITION_SEED in PostgreSQL's partbounds.h. */
const PARTITION_SEED_HIGH = 0x7a5b2236;
const PARTITION_SEED_LOW = 0x7996dcfd;
/** The constant hash_combine64 adds. */
const COMBINE = 0x49a0f4dd15e5a8e3n;
const MASK_64 = (1n << 64n) - 1n;

const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** lookup3's hash of one uint32 with a 64-bit seed, as [high 32 bits, low 32 bits]. */
function hashUint32Extended(k: number, seedHigh: number, seedLow: number): [number, number] {
  let a = (0x9e3779b9 + 4 + 3923095) >>> 0;
  let b = a;
  let c = a;
  if (seedHigh !== 0 || seedLow !== 0) {
    a = (a + seedHigh) >>> 0;
    b = (b + seedLow) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
  }
  a = (a + k) >>> 0;
  // final(a, b, c)
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return [b, c];
}

/** The remainder (partition index) of a bigint key under HASH partitioning with `modulus`. */
export function hashPartitionOf(value: number, modulus: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`A partition key must be a safe integer, not ${value}.`);
  const v = BigInt.asUintN(64, BigInt(value));
  const high = Number(v >> 32n);
  let low = Number(v & 0xffffffffn);
  low = (value >= 0 ? low ^ high : low ^ ~high) >>> 0;
  const [h, l] = hashUint32Extended(low, PARTITION_SEED_HIGH, PARTITION_SEED_LOW);
  const rowHash = ((BigInt(h) << 32n) | BigInt(l)) + COMBINE;
  return Number((rowHash & MASK_64) % BigInt(modulus));
}
