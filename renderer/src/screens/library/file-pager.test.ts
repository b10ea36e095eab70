import { describe, expect, it } from 'vitest';
import type { FileEntry, Page } from '../../../../shared/domain';
import { FilePager, type PageRequest } from './file-pager';

function entry(i: number): FileEntry {
  return {
    id: i + 1,
    collectionId: 1,
    folderId: 1,
    name: `file-${String(i).padStart(7, '0')}`,
    relPath: `f/${i}`,
    size: i,
    mtime: null,
    contentHash: null,
    subject: null,
    poster: null,
    postedAt: null,
    segmentCount: 1,
    bytes: i,
    uploadedCount: 0,
    missingCount: 0,
    duplicateCount: 0,
    state: 'indexed',
    nzbSourceId: null,
  };
}

/** A keyset source over n rows: the cursor is the last row's position, as opaque as the real one. */
function source(n: number) {
  const rows = Array.from({ length: n }, (_, i) => entry(i));
  const requests: PageRequest[] = [];
  const fetchPage = (r: PageRequest): Promise<Page<FileEntry>> => {
    requests.push(r);
    const order = r.direction === 'asc' ? rows : [...rows].reverse();
    const from = r.cursor === null ? 0 : Number(r.cursor) + 1;
    const items = order.slice(from, from + r.limit);
    const next = from + r.limit < n ? String(from + r.limit - 1) : null;
    return Promise.resolve({ items, nextCursor: next });
  };
  return { fetchPage, requests };
}

async function settle(pager: FilePager): Promise<void> {
  for (let i = 0; i < 10_000 && pager.busy(); i++) await new Promise((r) => setTimeout(r, 0));
}

describe('FilePager', () => {
  it('reads only the pages a visible range needs', async () => {
    const s = source(10_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 10_000, pageSize: 100 });
    pager.ensure(0, 30);
    await settle(pager);
    expect(s.requests).toHaveLength(1);
    expect(pager.rowAt(30)?.name).toBe('file-0000030');
    expect(pager.rowAt(150)).toBeUndefined();
  });

  it('reaches the end with one request on the tail chain, in the right order', async () => {
    const s = source(1_000_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 1_000_000, pageSize: 500 });
    pager.ensure(999_970, 999_999);
    await settle(pager);
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]?.direction).toBe('desc');
    expect(pager.rowAt(999_999)?.name).toBe('file-0999999');
    expect(pager.rowAt(999_970)?.name).toBe('file-0999970');
  });

  it('walks to 80 % from the nearer end and keeps memory bounded', async () => {
    const s = source(100_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 100_000, pageSize: 500, maxPages: 10 });
    pager.ensure(80_000, 80_030);
    await settle(pager);
    // 20,000 rows from the end: 40 pages of 500 plus the one holding the range, never the 160 from the top.
    expect(s.requests.length).toBeLessThanOrEqual(42);
    expect(s.requests.every((r) => r.direction === 'desc')).toBe(true);
    for (let i = 80_000; i <= 80_030; i++) expect(pager.rowAt(i)?.name).toBe(entry(i).name);
  });

  it('follows the latest target instead of finishing an older walk', async () => {
    const s = source(100_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 100_000, pageSize: 500 });
    pager.ensure(40_000, 40_010);
    pager.ensure(10, 20);
    await settle(pager);
    expect(pager.rowAt(15)?.name).toBe('file-0000015');
    expect(s.requests.length).toBeLessThan(5);
  });

  it('grows an unknown length as it reads and stops at the real end', async () => {
    const s = source(1_234);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: null, pageSize: 500 });
    expect(pager.count()).toBe(500);
    expect(pager.exact()).toBe(false);
    pager.ensure(0, 499);
    await settle(pager);
    expect(pager.count()).toBe(1_000);
    pager.ensure(900, 1_499);
    await settle(pager);
    pager.ensure(1_400, 1_499);
    await settle(pager);
    expect(pager.count()).toBe(1_234);
    expect(pager.exact()).toBe(true);
    expect(pager.rowAt(1_233)?.name).toBe('file-0001233');
  });

  it('trusts the list over a stale total', async () => {
    const s = source(700);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 900, pageSize: 500 });
    pager.ensure(0, 10);
    await settle(pager);
    pager.ensure(600, 650);
    await settle(pager);
    expect(pager.count()).toBe(700);
    expect(pager.rowAt(650)?.name).toBe('file-0000650');
  });

  it('collects the rows of a selection, reading what is missing', async () => {
    const s = source(3_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'desc', total: 3_000, pageSize: 500 });
    const rows = await pager.rowsFor(480, 1_020);
    expect(rows).toHaveLength(541);
    expect(rows[0]?.name).toBe(entry(2_999 - 480).name);
  });

  it('keeps a failure until asked to try again', async () => {
    let fail = true;
    const s = source(1_000);
    const pager = new FilePager({
      fetchPage: (r) => (fail ? Promise.reject(new Error('offline')) : s.fetchPage(r)),
      direction: 'asc',
      total: 1_000,
      pageSize: 500,
    });
    pager.ensure(0, 10);
    await settle(pager);
    expect(pager.failure()).toBeInstanceOf(Error);
    fail = false;
    pager.retry();
    await settle(pager);
    expect(pager.failure()).toBeNull();
    expect(pager.rowAt(3)?.name).toBe('file-0000003');
  });
});
