/**
 * The rows of one file list (a collection or folder, a state filter, a sort), read in pages as
 * the table needs them, never all at once.
 *
 * A page is read from the cursor the page before it gave (scrolling on) or, with no cursor at
 * hand, by a seek: `files/list` with the row position, so a jump to row N (End, the scrollbar
 * dragged to 80 %) is one request, not a walk of N / pageSize pages one after another (each
 * one a round trip, a parse and a check of its rows in this page). Two chains keep the seeks
 * short: the head chain reads forward from the first row in the list's order, the tail chain
 * reads the same list in the opposite direction from the last row (only when the total is
 * known, so its rows land on the right indexes); a seek goes from the nearer end, because the
 * engine's cost of a seek grows with the position. Reading always follows the latest target;
 * only the cursors of pages read are kept (a few strings each), so memory stays bounded.
 * Framework-free: the table subscribes to it; tests drive it with a fake page source.
 */
import type { FileEntry, Page } from '../../../../shared/domain';

export type SortDirection = 'asc' | 'desc';

export interface PageRequest {
  direction: SortDirection;
  cursor: string | null;
  /** With no cursor: the row (in `direction`'s order) the page starts at; 0 for the first page. */
  offset: number;
  limit: number;
  signal: AbortSignal;
}

export type FetchPage = (request: PageRequest) => Promise<Page<FileEntry>>;

export interface PagerOptions {
  fetchPage: FetchPage;
  /** The list's direction; the tail chain reads the other one. */
  direction: SortDirection;
  /** Rows in the list when known (a folder's fileCount); null with a state filter. */
  total: number | null;
  /** The first page, when it was already read (it paints the table without a wait). */
  first?: Page<FileEntry> | null;
  pageSize?: number;
  /** Pages of rows kept; the farthest from what is on screen are dropped first. */
  maxPages?: number;
}

interface Block {
  chain: 'head' | 'tail';
  index: number;
  /** Absolute row index of rows[0]. */
  start: number;
  rows: FileEntry[];
}

export const PAGE_SIZE = 100;

export class FilePager {
  readonly pageSize: number;
  private total: number | null;
  /** headCursors.get(k) reads head page k (rows k*P ... in list order); page 0 needs none. */
  private readonly headCursors = new Map<number, string>();
  private readonly tailCursors = new Map<number, string>();
  /** Rows in the list, once a head page came back as the last one. */
  private headLength: number | null = null;
  private readonly blocks = new Map<string, Block>();
  private target: { start: number; end: number } = { start: 0, end: 0 };
  private pumping = false;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  private error: unknown = null;
  /** Requests made so far, and how many of them were seeks (tests read them). */
  requests = 0;
  seeks = 0;
  private readonly maxPages: number;

  constructor(private readonly options: PagerOptions) {
    this.pageSize = options.pageSize ?? PAGE_SIZE;
    this.maxPages = options.maxPages ?? 40;
    this.total = options.total;
    if (options.first) this.storeHead(0, options.first);
  }

  /** Rows the table should be as long as: the total, or what is known so far plus a page. */
  count(): number {
    if (this.total !== null) return this.total;
    if (this.headLength !== null) return this.headLength;
    let known = 0;
    for (const k of this.headCursors.keys()) known = Math.max(known, k);
    return (known + 1) * this.pageSize;
  }

  /** True when count() is the list's real length. */
  exact(): boolean {
    return this.total !== null || this.headLength !== null;
  }

  rowAt(index: number): FileEntry | undefined {
    const head = this.blocks.get(`head:${Math.floor(index / this.pageSize)}`);
    const fromHead = head?.rows[index - head.start];
    if (fromHead) return fromHead;
    if (this.total === null) return undefined;
    const tail = this.blocks.get(`tail:${Math.floor((this.total - 1 - index) / this.pageSize)}`);
    return tail?.rows[index - tail.start];
  }

  failure(): unknown {
    return this.error;
  }

  /** Whether rows of the target range are still being read. */
  busy(): boolean {
    return this.pumping;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The rows the table shows now; reading follows the latest range, never an older one. */
  ensure(start: number, end: number): void {
    const last = this.count() - 1;
    this.target = { start: Math.max(0, Math.min(start, last)), end: Math.max(0, Math.min(end, last)) };
    if (this.error === null) void this.pump();
  }

  /** Tries again after a failed read. */
  retry(): void {
    this.error = null;
    this.emit();
    void this.pump();
  }

  /** The rows in [start, end], reading what is missing (a selection to copy, export or delete). */
  async rowsFor(start: number, end: number): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    for (let i = start; i <= end && i < this.count(); i++) {
      let row = this.rowAt(i);
      while (!row) {
        const advanced = await this.step(i, i);
        row = this.rowAt(i);
        if (!advanced && !row) return out;
      }
      out.push(row);
    }
    return out;
  }

  dispose(): void {
    this.controller.abort();
    this.listeners.clear();
  }

  private firstMissing(): { first: number; last: number } | null {
    const { start, end } = this.target;
    let first = -1;
    let last = -1;
    for (let i = start; i <= end && i < this.count(); i++) {
      if (!this.rowAt(i)) {
        if (first === -1) first = i;
        last = i;
      }
    }
    return first === -1 ? null : { first, last };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    this.emit();
    try {
      for (;;) {
        const missing = this.firstMissing();
        if (!missing || this.controller.signal.aborted) break;
        if (!(await this.step(missing.first, missing.last))) break;
      }
    } catch (e) {
      if (!this.controller.signal.aborted) this.error = e;
    } finally {
      this.pumping = false;
      this.emit();
    }
  }

  /**
   * One request towards rows first..last: the page after one already read when its cursor is
   * known (on either chain), else a seek from the nearer end. False when nothing is left to read.
   */
  private async step(first: number, last: number): Promise<boolean> {
    const P = this.pageSize;
    const headBlock = Math.floor(first / P);
    if (this.headLength !== null && headBlock * P >= this.headLength) return false;
    const total = this.total;
    const tailBlock = total === null ? null : Math.floor((total - 1 - last) / P);
    // The first page of either chain needs no cursor.
    const headCursor = headBlock === 0 ? null : this.headCursors.get(headBlock);
    const tailCursor = tailBlock === null ? undefined : tailBlock === 0 ? null : this.tailCursors.get(tailBlock);
    let fromTail: boolean;
    if (headCursor !== undefined) fromTail = false;
    else if (tailCursor !== undefined) fromTail = true;
    // A seek: the engine's cost grows with the position, so it starts from the nearer end.
    else fromTail = total !== null && total - 1 - last < first;
    if (fromTail && total !== null && tailBlock !== null) {
      const reverse: SortDirection = this.options.direction === 'asc' ? 'desc' : 'asc';
      this.storeTail(tailBlock, await this.fetch(reverse, tailCursor ?? null, tailCursor === undefined ? tailBlock * P : 0));
    } else {
      this.storeHead(headBlock, await this.fetch(this.options.direction, headCursor ?? null, headCursor === undefined ? headBlock * P : 0));
    }
    this.evict();
    this.emit();
    return true;
  }

  private async fetch(direction: SortDirection, cursor: string | null, offset: number): Promise<Page<FileEntry>> {
    this.requests++;
    if (offset > 0) this.seeks++;
    return this.options.fetchPage({ direction, cursor, offset, limit: this.pageSize, signal: this.controller.signal });
  }

  private storeHead(k: number, page: Page<FileEntry>): void {
    const P = this.pageSize;
    this.blocks.set(`head:${k}`, { chain: 'head', index: k, start: k * P, rows: page.items });
    if (page.nextCursor !== null && page.items.length > 0) {
      this.headCursors.set(k + 1, page.nextCursor);
      return;
    }
    this.ended(k * P + page.items.length, page.items.length > 0 || k === 0);
  }

  /**
   * A chain read its last page: the list has `length` rows (k*P + the page's rows). An empty
   * page from a seek past the end (rows went since the total was read) says only that it has
   * no more than that: the total is dropped (tail rows would land on wrong indexes) and the
   * head chain's reads before that place, which the table asks for next, find the real end.
   */
  private ended(length: number, exact: boolean): void {
    if (this.headLength === null || length < this.headLength) this.headLength = length;
    // The list ended before or after its announced total (rows changed since): trust what was read.
    if (this.total !== null && length !== this.total) {
      this.total = exact ? length : null;
      // Tail rows sit at indexes counted from the old total.
      for (const key of [...this.blocks.keys()]) if (key.startsWith('tail:')) this.blocks.delete(key);
      this.tailCursors.clear();
    }
  }

  private storeTail(j: number, page: Page<FileEntry>): void {
    if (this.total === null) return;
    const rows = [...page.items].reverse();
    const end = this.total - j * this.pageSize; // exclusive
    this.blocks.set(`tail:${j}`, { chain: 'tail', index: j, start: end - rows.length, rows });
    if (page.nextCursor !== null && rows.length > 0) this.tailCursors.set(j + 1, page.nextCursor);
    else this.ended(j * this.pageSize + rows.length, rows.length > 0 || j === 0);
  }

  private evict(): void {
    if (this.blocks.size <= this.maxPages) return;
    const centre = (this.target.start + this.target.end) / 2;
    const far = [...this.blocks.entries()].sort(
      ([, a], [, b]) => Math.abs(b.start + b.rows.length / 2 - centre) - Math.abs(a.start + a.rows.length / 2 - centre),
    );
    for (const [key] of far.slice(0, this.blocks.size - this.maxPages)) this.blocks.delete(key);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
