/**
 * An order-independent fingerprint of a set of rows: a count and two 32-bit sums of per-row
 * checksums (CRC-32 and CRC-32C of the row's canonical text, row-text.ts, so 64 bits in all).
 * Two sides that hold the same rows, in any order, get the same digest; a lost, duplicated or
 * altered row changes it. Used to verify re-sharding and migrations between engines.
 *
 * Both checksums exist inside PostgreSQL 18 (crc32, crc32c), so a Postgres store computes the
 * same digest over its stored rows without sending them (pg-table-digest.ts); here CRC-32 is
 * zlib's and CRC-32C is computed below.
 */
import zlib from 'node:zlib';
import { COPY_NULL, copyHexBytes, copyText } from './copy-text';

export type RawSegment = [fileId: number, number: number, bytes: number, state: number, hash: Buffer | null, messageId: string | null, uploadedAt: number | null];

/** A digest as plain numbers, to cross from an engine that computed it. */
export interface DigestValue {
  count: number;
  crc32Sum: number;
  crc32cSum: number;
}

/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), one byte per step from a 256-entry table. */
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = (CRC32C_TABLE[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** Reused for every row: encoding into it avoids one Buffer allocation per row. */
let scratch = Buffer.allocUnsafe(64 * 1024);

function utf8(text: string): number {
  // Three bytes per UTF-16 unit is the most UTF-8 can need.
  if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(text.length * 3);
  return scratch.write(text, 0, 'utf8');
}

/**
 * What both segment fingerprints share (this text digest and record-digest.ts): a count and two
 * 32-bit sums of a 64-bit hash per row, so the digest is order-independent and digests of
 * disjoint parts add up to the digest of the whole. A subclass says how one row is hashed.
 */
export abstract class SummedDigest {
  count = 0;
  protected a = 0;
  protected b = 0;

  static of<T extends SummedDigest>(this: new () => T, value: DigestValue): T {
    const digest = new this();
    digest.count = value.count;
    digest.a = value.crc32Sum >>> 0;
    digest.b = value.crc32cSum >>> 0;
    return digest;
  }

  /** One row, its canonical text as UTF-8 bytes [start, end). */
  abstract addBytes(bytes: Buffer, start: number, end: number): void;

  /** Counts one row whose hash has these two 32-bit halves. */
  protected sum(a: number, b: number): void {
    this.count++;
    this.a = (this.a + a) >>> 0;
    this.b = (this.b + b) >>> 0;
  }

  /** One row's canonical text. */
  addText(text: string): void {
    const length = utf8(text);
    this.addBytes(scratch, 0, length);
  }

  /** Rows' canonical texts as UTF-8 lines, each ending in a newline (COPY text: a newline inside a value is escaped). */
  addLines(text: Buffer): void {
    let start = 0;
    for (;;) {
      const end = text.indexOf(10, start);
      if (end === -1) break;
      this.addBytes(text, start, end);
      start = end + 1;
    }
  }

  /** Adds another digest's rows (digests of disjoint parts sum to the digest of the whole). */
  merge(other: this): void {
    this.count += other.count;
    this.a = (this.a + other.a) >>> 0;
    this.b = (this.b + other.b) >>> 0;
  }

  value(): DigestValue {
    return { count: this.count, crc32Sum: this.a, crc32cSum: this.b };
  }

  equals(other: this): boolean {
    return this.count === other.count && this.a === other.a && this.b === other.b;
  }
}

export class RowDigest extends SummedDigest {
  /** A segment row as SQLite returns it (hash as bytes), as the canonical text of a segments row. */
  add(row: RawSegment): void {
    const num = (v: number | null): string => (v === null ? COPY_NULL : String(v));
    this.addText(`${row[0]}\t${row[1]}\t${row[2]}\t${row[3]}\t${copyHexBytes(row[4]?.toString('hex'))}\t${copyText(row[5])}\t${num(row[6])}`);
  }

  addBytes(bytes: Buffer, start: number, end: number): void {
    this.sum(zlib.crc32(bytes.subarray(start, end)), crc32c(bytes, start, end));
  }

  override toString(): string {
    return `${this.count} rows, ${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}
