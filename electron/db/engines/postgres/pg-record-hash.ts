/**
 * PostgreSQL's `hash_record_extended(ROW(...), 0)` of a segments row, computed in the app from
 * the row's canonical COPY line (row-text.ts), so a move into a server can verify segments with
 * the server's cheapest whole-row checksum: the server hashes its stored rows' values without
 * building any text (about a fifth of the CPU of rebuilding and CRC-ing each row's line,
 * docs/benchmarks.md), and the app hashes the lines it sent the same way.
 *
 * The functions are PostgreSQL's own, as its sources define them: Bob Jenkins' lookup3
 * (`hash_bytes_extended`, `hash_bytes_uint32_extended`, 64-bit results, seed 0), the per-type
 * hash functions (`hashint8extended` folds the high half into the low one, as for partitions;
 * int4 and int2 hash their 32-bit value; bytea and text under a deterministic collation hash
 * their bytes), and the record's combination `result = result * 31 + column hash` with 0 for
 * NULL. pg-record-hash.test.ts checks every piece against a real server, so a server that
 * computed otherwise would fail there, not in a move.
 */

const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** The state of lookup3: a, b, c, mixed and finalized in place. */
const state = new Uint32Array(3);

function mix(): void {
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
  a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
  b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
  c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
  state[0] = a;
  state[1] = b;
  state[2] = c;
}

function final(): void {
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  state[0] = a;
  state[1] = b;
  state[2] = c;
}

/** A 64-bit hash as its two 32-bit halves. */
export interface Hash64 {
  high: number;
  low: number;
}

/**
 * `hash_bytes_uint32_extended(k, seed)`: [high, low] into `out`. Seed 0 for a column's hash; a
 * HASH partition's key is hashed with the partitioning seed (pg-partition-hash.ts).
 */
export function hashUint32(k: number, out: Hash64, seedHigh = 0, seedLow = 0): Hash64 {
  const init = (0x9e3779b9 + 4 + 3923095) >>> 0;
  state[0] = init;
  state[1] = init;
  state[2] = init;
  if (seedHigh !== 0 || seedLow !== 0) {
    state[0] = (init + seedHigh) >>> 0;
    state[1] = (init + seedLow) >>> 0;
    mix();
  }
  state[0] = (state[0] + k) >>> 0;
  final();
  out.high = state[1];
  out.low = state[2];
  return out;
}

/**
 * Four bytes as a little-endian uint32: lookup3 as PostgreSQL runs it on a little-endian
 * server (x86-64, arm64). A big-endian server hashes bytes otherwise; its digests would then
 * differ and a move into it be refused, never wrongly accepted.
 */
const wordAt = (bytes: Uint8Array, i: number): number =>
  ((bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24)) >>> 0;

/** `hash_bytes_extended(bytes[start..end), 0)` (lookup3 over bytes, little-endian words as PostgreSQL reads them). */
export function hashBytes(bytes: Uint8Array, start: number, end: number, out: Hash64): Hash64 {
  let len = end - start;
  const init = (0x9e3779b9 + len + 3923095) >>> 0;
  state[0] = init;
  state[1] = init;
  state[2] = init;
  let k = start;
  while (len >= 12) {
    state[0] = (state[0] + wordAt(bytes, k)) >>> 0;
    state[1] = (state[1] + wordAt(bytes, k + 4)) >>> 0;
    state[2] = (state[2] + wordAt(bytes, k + 8)) >>> 0;
    mix();
    k += 12;
    len -= 12;
  }
  // The last 0-11 bytes: into a, then b, then c's upper three bytes (its lowest is the length's).
  let a = state[0];
  let b = state[1];
  let c = state[2];
  if (len >= 9) c = (c + ((len >= 11 ? (bytes[k + 10] as number) << 24 : 0) | (len >= 10 ? (bytes[k + 9] as number) << 16 : 0) | ((bytes[k + 8] as number) << 8))) >>> 0;
  if (len >= 8) b = (b + wordAt(bytes, k + 4)) >>> 0;
  else if (len >= 5) b = (b + ((len >= 7 ? (bytes[k + 6] as number) << 16 : 0) | (len >= 6 ? (bytes[k + 5] as number) << 8 : 0) | (bytes[k + 4] as number))) >>> 0;
  if (len >= 4) a = (a + wordAt(bytes, k)) >>> 0;
  else if (len >= 1) a = (a + ((len >= 3 ? (bytes[k + 2] as number) << 16 : 0) | (len >= 2 ? (bytes[k + 1] as number) << 8 : 0) | (bytes[k] as number))) >>> 0;
  state[0] = a;
  state[1] = b;
  state[2] = c;
  final();
  out.high = state[1];
  out.low = state[2];
  return out;
}

const TWO_32 = 4294967296;

/** `hashint8extended(v, seed)` of a safe integer. */
export function hashInt8(value: number, out: Hash64, seedHigh = 0, seedLow = 0): Hash64 {
  let high: number;
  let low: number;
  if (value >= 0) {
    high = Math.floor(value / TWO_32) >>> 0;
    low = value >>> 0;
  } else {
    const v = BigInt.asUintN(64, BigInt(value));
    high = Number(v >> 32n);
    low = Number(v & 0xffffffffn);
  }
  // PostgreSQL: lohalf ^= (val >= 0) ? hihalf : ~hihalf, so an int8 hashes like the int4 of the same value.
  return hashUint32((value >= 0 ? low ^ high : low ^ ~high) >>> 0, out, seedHigh, seedLow);
}

/** `hashint4extended` / `hashint2extended` (an int2 is widened to int4 first). */
export const hashInt4 = (value: number, out: Hash64): Hash64 => hashUint32(value >>> 0, out);

/**
 * `hash_record_extended`'s running value over a row's columns: result = result * 31 + column
 * hash, modulo 2^64, kept as two 32-bit halves.
 */
export class RecordHash {
  high = 0;
  low = 0;

  reset(): void {
    this.high = 0;
    this.low = 0;
  }

  /** One column: its hash, or null for a NULL (which adds 0). */
  add(column: Hash64 | null): void {
    const low31 = this.low * 31;
    const carry = Math.floor(low31 / TWO_32);
    let low = (low31 >>> 0) + (column ? column.low : 0);
    let high = this.high * 31 + carry + (column ? column.high : 0);
    if (low >= TWO_32) {
      low -= TWO_32;
      high += 1;
    }
    this.low = low >>> 0;
    this.high = high >>> 0;
  }
}

const TAB = 9;
const BACKSLASH = 92;

/** Decoded bytes of one field (a hash's hex, or text with escapes), reused from row to row. */
let scratch = new Uint8Array(256);

function room(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
  return scratch;
}

const isNull = (line: Uint8Array, start: number, end: number): boolean => end - start === 2 && line[start] === BACKSLASH && line[start + 1] === 78;

function parseInteger(line: Uint8Array, start: number, end: number): number {
  let i = start;
  const negative = line[i] === 45;
  if (negative) i++;
  if (i === end) throw new Error('A segments line has an empty number field.');
  let value = 0;
  for (; i < end; i++) {
    const digit = (line[i] as number) - 48;
    if (digit < 0 || digit > 9) throw new Error('A segments line has a number field that is not a whole number.');
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

const hexValue = (byte: number): number => {
  if (byte >= 48 && byte <= 57) return byte - 48;
  if (byte >= 97 && byte <= 102) return byte - 87;
  if (byte >= 65 && byte <= 70) return byte - 55;
  throw new Error('A segments line has a hash that is not hexadecimal.');
};

/** A bytea COPY field (`\\x` then hex: bytea's hex input with its backslash escaped) hashed as its bytes. */
function hashHexField(line: Uint8Array, start: number, end: number, out: Hash64): Hash64 {
  if (line[start] !== BACKSLASH || line[start + 1] !== BACKSLASH || line[start + 2] !== 120 || (end - start) % 2 !== 1) {
    throw new Error('A segments line has a hash field that is not \\\\x and hex.');
  }
  const size = (end - start - 3) / 2;
  const bytes = room(size);
  for (let i = 0, at = start + 3; i < size; i++, at += 2) bytes[i] = (hexValue(line[at] as number) << 4) | hexValue(line[at + 1] as number);
  return hashBytes(bytes, 0, size, out);
}

/** A text COPY field hashed as the text's UTF-8 bytes (COPY's four escapes undone; they are all copy-text.ts writes). */
function hashTextField(line: Uint8Array, start: number, end: number, out: Hash64): Hash64 {
  const slash = line.indexOf(BACKSLASH, start);
  if (slash === -1 || slash >= end) return hashBytes(line, start, end, out);
  const bytes = room(end - start);
  let size = 0;
  for (let i = start; i < end; i++) {
    const byte = line[i] as number;
    if (byte !== BACKSLASH) {
      bytes[size++] = byte;
      continue;
    }
    const next = line[++i];
    if (next === BACKSLASH) bytes[size++] = BACKSLASH;
    else if (next === 116) bytes[size++] = 9;
    else if (next === 110) bytes[size++] = 10;
    else if (next === 114) bytes[size++] = 13;
    else throw new Error('A segments line has a text field with an escape the canonical text never writes.');
  }
  return hashBytes(bytes, 0, size, out);
}

/** Column types of a segments line, in its order (row-text.ts): how each field is hashed. */
const SEGMENT_FIELDS = ['int8', 'int4', 'int8', 'int2', 'bytea', 'text', 'int8'] as const;

const column: Hash64 = { high: 0, low: 0 };
const row = new RecordHash();

/**
 * `hash_record_extended(ROW(file_id, number, bytes, state, hash, message_id, uploaded_at), 0)`
 * of one canonical segments line, `line[start..end)` without its newline.
 */
export function segmentsLineHash(line: Uint8Array, start: number, end: number, out: Hash64): Hash64 {
  row.reset();
  let at = start;
  for (let f = 0; f < SEGMENT_FIELDS.length; f++) {
    let stop = f === SEGMENT_FIELDS.length - 1 ? end : line.indexOf(TAB, at);
    if (stop === -1 || stop > end) stop = end;
    if (f < SEGMENT_FIELDS.length - 1 && stop === end) throw new Error('A segments line has fewer than seven fields.');
    if (isNull(line, at, stop)) row.add(null);
    else {
      const kind = SEGMENT_FIELDS[f];
      if (kind === 'bytea') row.add(hashHexField(line, at, stop, column));
      else if (kind === 'text') row.add(hashTextField(line, at, stop, column));
      else if (kind === 'int8') row.add(hashInt8(parseInteger(line, at, stop), column));
      else row.add(hashInt4(parseInteger(line, at, stop), column));
    }
    at = stop + 1;
  }
  out.high = row.high;
  out.low = row.low;
  return out;
}
