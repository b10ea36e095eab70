/**
 * The rows of one file list (a collection or folder, a state filter, a sort), read in keyset
 * pages as the table needs them, never all at once.
 *
 * A keyset cursor can only go forward, so a row far from the top costs a walk. Two chains
 * shorten it: the head chain reads forward from the first row in the list's order, the tail
 * chain reads the same list in the opposite direction from the last row (only when the total is
 * known, so its rows land on the right indexes). A jump (End, the scrollbar dragged to 80 %)
 * walks whichever chain is nearer, one request at a time, always towards the latest target, and
 * keeps only the cursors of the pages it passes, so memory stays bounded whatever the length.
 * Framework-free: the table subscribes to it; tests drive it with a fake page source.
 */
import type { FileEntry, Page } from '../../../../shared/domain';

export type SortDirection = 'asc' | 'desc';

export interface PageRequest {
  direction: SortDirection;
  cursor: string | null;
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

export const PAGE_SIZE = 500;

export class FilePager {
  readonly pageSize: number;
  private total: number | null;
  /** headCursors[k] reads head page k (rows k*P ... in list order); [0] is null. */
  private readonly headCursors: (string | null)[] = [null];
  private readonly tailCursors: (string | null)[] = [null];
  /** Rows in the list, once the head chain read its last page. */
  private headLength: number | null = null;
  private readonly blocks = new Map<string, Block>();
  private target: { start: number; end: number } = { start: 0, end: 0 };
  private pumping = false;
  private readonly controller = new AbortController();
  private readonly listeners = new Set<() => void>();
  private error: unknown = null;
  /** Requests made so far (tests and the "reading rows" hint read it). */
  requests = 0;
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
    return this.headLength ?? this.headCursors.length * this.pageSize;
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

  /** Whether rows of the target range are still being walked to. */
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

  /** One request towards rows first..last, on the nearer chain. False when nothing is left to read. */
  private async step(first: number, last: number): Promise<boolean> {
    const P = this.pageSize;
    const headBlock = Math.floor(first / P);
    const headKnown = this.headCursors.length - 1;
    const headCost = Math.max(0, headBlock - headKnown) + 1;
    let tailCost = Number.POSITIVE_INFINITY;
    let tailBlock = 0;
    if (this.total !== null) {
      tailBlock = Math.floor((this.total - 1 - last) / P);
      tailCost = Math.max(0, tailBlock - (this.tailCursors.length - 1)) + 1;
    }
    if (headCost <= tailCost) {
      if (this.headLength !== null && headBlock * P >= this.headLength) return false;
      const k = Math.min(headBlock, headKnown);
      const page = await this.fetch(this.options.direction, this.headCursors[k] ?? null);
      this.storeHead(k, page);
    } else {
      const j = Math.min(tailBlock, this.tailCursors.length - 1);
      const page = await this.fetch(this.options.direction === 'asc' ? 'desc' : 'asc', this.tailCursors[j] ?? null);
      this.storeTail(j, page);
    }
    this.evict();
    this.emit();
    return true;
  }

  private async fetch(direction: SortDirection, cursor: string | null): Promise<Page<FileEntry>> {
    this.requests++;
    return this.options.fetchPage({ direction, cursor, limit: this.pageSize, signal: this.controller.signal });
  }

  private storeHead(k: number, page: Page<FileEntry>): void {
    this.blocks.set(`head:${k}`, { chain: 'head', index: k, start: k * this.pageSize, rows: page.items });
    if (this.headCursors.length === k + 1 && this.headLength === null) {
      if (page.nextCursor !== null && page.items.length > 0) this.headCursors.push(page.nextCursor);
      else {
        const length = k * this.pageSize + page.items.length;
        this.headLength = length;
        // The list ended before or after its announced total (rows changed since): trust what was read.
        if (this.total !== null && length !== this.total) {
          this.total = length;
          for (const key of [...this.blocks.keys()]) if (key.startsWith('tail:')) this.blocks.delete(key);
          this.tailCursors.length = 1;
        }
      }
    }
  }

  private storeTail(j: number, page: Page<FileEntry>): void {
    if (this.total === null) return;
    const rows = [...page.items].reverse();
    const end = this.total - j * this.pageSize; // exclusive
    this.blocks.set(`tail:${j}`, { chain: 'tail', index: j, start: end - rows.length, rows });
    if (this.tailCursors.length === j + 1 && page.nextCursor !== null) this.tailCursors.push(page.nextCursor);
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
