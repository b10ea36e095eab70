/**
 * COPY text rows written straight into byte buffers, for the ingest's hot path (a million
 * segment rows per million segments). Building each row as a JS string first cost more than
 * the database work it fed: every row left a dozen short strings and a rope for the garbage
 * collector (a third of the ingest's JavaScript time in a CPU profile), and the finished text
 * was encoded to UTF-8 once more on its way into the socket or PGlite's Blob. Here numbers
 * are written digit by digit, text is encoded once into the buffer, and a full buffer becomes
 * a chunk as it is. The format and escaping are copy-text.ts's; a row may span two chunks,
 * which COPY does not mind (chunks are concatenated in order).
 */
import { escapedCopyText } from '../../migration/rows/copy-text';

/** About what one stream write or Blob part should carry (the string path's chunk size). */
export const COPY_CHUNK_BYTES = 1 << 18;

const TAB = 0x09;
const NEWLINE = 0x0a;
const MINUS = 0x2d;
const ZERO = 0x30;
const BACKSLASH = 0x5c;
const CAPITAL_N = 0x4e;
const LOWER_X = 0x78;
/** The longest safe integer, its sign included, in decimal digits. */
const MAX_NUMBER_DIGITS = 17;

export class CopyBytes {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
  private pos = 0;
  private rows = 0;
  /** Whether the current row has a field yet (the next field is preceded by a tab). */
  private started = false;

  get rowCount(): number {
    return this.rows;
  }

  /** The bytes written so far, in chunks; the writer starts empty again. */
  finish(): Buffer[] {
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(COPY_CHUNK_BYTES);
    this.pos = 0;
    return this.chunks.splice(0);
  }

  /** A whole number, or NULL. */
  number(value: number | null | undefined): this {
    this.separate(MAX_NUMBER_DIGITS);
    if (value == null) return this.nullField();
    // Validation upstream admits safe integers only; anything else goes in as its own text so
    // the server rejects it as before, rather than as made-up digits.
    if (!Number.isSafeInteger(value)) {
      const text = String(value);
      this.reserve(text.length);
      this.pos += this.buf.write(text, this.pos, 'latin1');
      return this;
    }
    let n = value;
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = MINUS;
      n = -n;
    }
    if (n < 10) {
      buf[this.pos++] = ZERO + n;
      return this;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let at = this.pos + digits;
    this.pos = at;
    while (n >= 10) {
      const q = Math.floor(n / 10);
      buf[--at] = ZERO + (n - q * 10);
      n = q;
    }
    buf[--at] = ZERO + n;
    return this;
  }

  /** Text (escaped for COPY; a NUL is refused), or NULL. */
  text(value: string | null | undefined): this {
    if (value == null) {
      this.separate(2);
      return this.nullField();
    }
    const escaped = escapedCopyText(value);
    // UTF-8 takes at most three bytes per UTF-16 unit.
    this.separate(escaped.length * 3);
    this.pos += this.buf.write(escaped, this.pos, 'utf8');
    return this;
  }

  /** Lowercase hex as a bytea field (`\\x...`, the backslash escaped for COPY), or NULL. */
  hexBytes(hex: string | null | undefined): this {
    if (hex == null) {
      this.separate(2);
      return this.nullField();
    }
    this.separate(hex.length + 3);
    const buf = this.buf;
    buf[this.pos++] = BACKSLASH;
    buf[this.pos++] = BACKSLASH;
    buf[this.pos++] = LOWER_X;
    // Validated as lowercase hex (validate.ts), so one byte per character.
    this.pos += buf.write(hex, this.pos, 'latin1');
    return this;
  }

  /** Ends the row. */
  end(): void {
    this.reserve(1);
    this.buf[this.pos++] = NEWLINE;
    this.started = false;
    this.rows++;
  }

  private nullField(): this {
    this.buf[this.pos++] = BACKSLASH;
    this.buf[this.pos++] = CAPITAL_N;
    return this;
  }

  /** Room for a tab and `bytes` more, then the tab if this is not the row's first field. */
  private separate(bytes: number): void {
    this.reserve(bytes + 1);
    if (this.started) this.buf[this.pos++] = TAB;
    this.started = true;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    if (this.pos > 0) this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(COPY_CHUNK_BYTES, bytes));
    this.pos = 0;
  }
}
