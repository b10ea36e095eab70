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
import { SummedDigest } from './row-digest';

const hash: Hash64 = { high: 0, low: 0 };

export class RecordDigest extends SummedDigest {
  addBytes(bytes: Buffer, start: number, end: number): void {
    segmentsLineHash(bytes, start, end, hash);
    this.sum(hash.low, hash.high);
  }

  /** The low halves' sum in `crc32Sum` and the high halves' in `crc32cSum` (the shape digests cross in). */
  override toString(): string {
    return `${this.count} rows, record hash ${this.b.toString(16).padStart(8, '0')}${this.a.toString(16).padStart(8, '0')}`;
  }
}
