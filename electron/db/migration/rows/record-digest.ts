/**
 * The second way to fingerprint segments rows, for a move into PostgreSQL: a count and the
 * sums of the two 32-bit halves of PostgreSQL's `hash_record_extended` over each row's values
 * (engines/postgres/pg-record-hash.ts), computed here from each row's canonical text and in
 * the server from its stored rows. Like the text digest (row-digest.ts) it is order-independent,
 * 64 bits per row, and sees every column of every row (a record hash combines them in order,
 * so values swapped between columns or rows change it); it is cheaper for the server, which
 * hashes values instead of rebuilding and checksumming every row's text.
 */
import { segmentsLineHash, type Hash64 } from '../../engines/postgres/pg-record-hash';
import type { DigestValue } from './row-digest';

let scratch = Buffer.allocUnsafe(64 * 1024);
const hash: Hash64 = { high: 0, low: 0 };

export class RecordDigest {
  count = 0;
  private a = 0;
  private b = 0;

  static of(value: DigestValue): RecordDigest {
    const digest = new RecordDigest();
    digest.count = value.count;
    digest.a = value.crc32Sum >>> 0;
    digest.b = value.crc32cSum >>> 0;
    return digest;
  }

  addText(text: string): void {
    if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafe(text.length * 3);
    this.addBytes(scratch, 0, scratch.write(text, 0, 'utf8'));
  }

  addBytes(bytes: Buffer, start: number, end: number): void {
    segmentsLineHash(bytes, start, end, hash);
    this.count++;
    this.a = (this.a + hash.low) >>> 0;
    this.b = (this.b + hash.high) >>> 0;
  }

  addLines(text: Buffer): void {
    let start = 0;
    for (;;) {
      const end = text.indexOf(10, start);
      if (end === -1) break;
      this.addBytes(text, start, end);
      start = end + 1;
    }
  }

  merge(other: RecordDigest): void {
    this.count += other.count;
    this.a = (this.a + other.a) >>> 0;
    this.b = (this.b + other.b) >>> 0;
  }

  /** The low halves' sum in `crc32Sum` and the high halves' in `crc32cSum` (the shape digests cross in). */
  value(): DigestValue {
    return { count: this.count, crc32Sum: this.a, crc32cSum: this.b };
  }

  equals(other: RecordDigest): boolean {
    return this.count === other.count && this.a === other.a && this.b === other.b;
  }

  toString(): string {
    return `${this.count} rows, record hash ${this.b.toString(16).padStart(8, '0')}${this.a.toString(16).padStart(8, '0')}`;
  }
}
