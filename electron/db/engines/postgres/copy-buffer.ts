/**
 * Collects COPY lines into chunks of about COPY_CHUNK_CHARS characters. Appending to one string
 * is cheap in V8 (ropes); cutting it into chunks keeps each stream write or Blob part large
 * enough to be efficient and small enough not to need one giant flat string.
 */
export const COPY_CHUNK_CHARS = 1 << 18;

export class CopyBuffer {
  private readonly chunks: string[] = [];
  private current = '';
  private lines = 0;

  add(line: string): void {
    this.current += line;
    this.lines++;
    if (this.current.length >= COPY_CHUNK_CHARS) {
      this.chunks.push(this.current);
      this.current = '';
    }
  }

  get rowCount(): number {
    return this.lines;
  }

  /** The chunks to load; the buffer is empty afterwards. */
  finish(): string[] {
    if (this.current.length > 0) this.chunks.push(this.current);
    this.current = '';
    const out = this.chunks.splice(0);
    this.lines = 0;
    return out;
  }
}
