/**
 * An order-independent fingerprint of a set of rows: a count and two 32-bit sums of per-row
 * hashes (two seeds, so 64 bits in all). Two sides that hold the same rows, in any order, get
 * the same digest; a lost, duplicated or altered row changes it. Used to verify re-sharding
 * and migrations between engines.
 */
import type { Row } from './store';

export type RawSegment = [fileId: number, number: number, bytes: number, state: number, hash: Buffer | null, messageId: string | null, uploadedAt: number | null];

function fnv1a(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class RowDigest {
  count = 0;
  private a = 0;
  private b = 0;

  /** A segment row as SQLite returns it (hash as bytes). */
  add(row: RawSegment): void {
    this.addText(`${row[0]}|${row[1]}|${row[2]}|${row[3]}|${row[4] ? row[4].toString('hex') : ''}|${row[5] ?? ''}|${row[6] ?? ''}`);
  }

  /** A streamed row in logical columns; `columns` fixes the order so every engine hashes alike. */
  addRow(row: Row, columns: readonly string[]): void {
    this.addText(JSON.stringify(columns.map((c) => row[c] ?? null)));
  }

  addText(text: string): void {
    this.count++;
    this.a = (this.a + fnv1a(text, 0x811c9dc5)) >>> 0;
    this.b = (this.b + fnv1a(text, 0x01234567)) >>> 0;
  }

  equals(other: RowDigest): boolean {
    return this.count === other.count && this.a === other.a && this.b === other.b;
  }

  toString(): string {
    return `${this.count} rows, ${this.a.toString(16).padStart(8, '0')}${this.b.toString(16).padStart(8, '0')}`;
  }
}
