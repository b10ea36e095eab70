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

/**
 * A keyset source over n rows: the cursor is the last row's position, as opaque as the real
 * one; with no cursor the page starts at the offset (a seek), as files/list does.
 */
function source(n: number) {
  const rows = Array.from({ length: n }, (_, i) => entry(i));
  const requests: PageRequest[] = [];
  const fetchPage = (r: PageRequest): Promise<Page<FileEntry>> => {
    requests.push(r);
    const from = r.cursor === null ? r.offset : Number(r.cursor) + 1;
    const items: FileEntry[] = [];
    for (let i = from; i < Math.min(n, from + r.limit); i++) items.push(rows[r.direction === 'asc' ? i : n - 1 - i] as FileEntry);
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

  it('jumps to 80 % with one seek from the nearer end, then scrolls on with cursors', async () => {
    const s = source(100_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 100_000, pageSize: 500, maxPages: 10 });
    pager.ensure(80_000, 80_030);
    await settle(pager);
    // 20,000 rows from the end: the tail chain's page 39 (rows 80,000-80,499 read backwards).
    expect(s.requests).toEqual([expect.objectContaining({ direction: 'desc', cursor: null, offset: 19_500 })]);
    for (let i = 80_000; i <= 80_030; i++) expect(pager.rowAt(i)?.name).toBe(entry(i).name);
    // Scrolling up from there continues the tail chain with its cursor: no second seek.
    pager.ensure(79_600, 79_640);
    await settle(pager);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]?.cursor).not.toBeNull();
    expect(pager.seeks).toBe(1);
    for (let i = 79_600; i <= 79_640; i++) expect(pager.rowAt(i)?.name).toBe(entry(i).name);
  });

  it('seeks to the middle from the top, and reads on with the cursor it got', async () => {
    const s = source(1_000_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'desc', total: 1_000_000, pageSize: 500 });
    pager.ensure(400_100, 400_140);
    await settle(pager);
    expect(s.requests).toEqual([expect.objectContaining({ direction: 'desc', cursor: null, offset: 400_000 })]);
    expect(pager.rowAt(400_100)?.name).toBe(entry(999_999 - 400_100).name);
    pager.ensure(400_480, 400_520);
    await settle(pager);
    expect(s.requests).toHaveLength(2);
    expect(s.requests[1]?.cursor).not.toBeNull();
    for (let i = 400_480; i <= 400_520; i++) expect(pager.rowAt(i)?.name).toBe(entry(999_999 - i).name);
  });

  it('drags through a long list with one request per place, never a walk', async () => {
    const s = source(1_000_000);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 1_000_000, pageSize: 500 });
    for (let step = 1; step <= 96; step++) {
      const at = Math.floor((step / 96) * (1_000_000 - 30));
      pager.ensure(at, at + 29);
      await settle(pager);
      expect(pager.rowAt(at + 29)?.name).toBe(entry(at + 29).name);
    }
    // A place on a page boundary takes two pages; none takes more.
    expect(s.requests.length).toBeLessThanOrEqual(2 * 96);
  });

  it('finds the real end when a seek lands past it (rows went since the total was read)', async () => {
    const s = source(1_200);
    const pager = new FilePager({ fetchPage: s.fetchPage, direction: 'asc', total: 5_000, pageSize: 500 });
    pager.ensure(2_600, 2_620);
    await settle(pager);
    expect(pager.count()).toBeLessThanOrEqual(2_500);
    for (let i = 0; i < 10 && pager.count() !== 1_200; i++) {
      pager.ensure(pager.count() - 20, pager.count() - 1);
      await settle(pager);
    }
    expect(pager.count()).toBe(1_200);
    expect(pager.rowAt(1_199)?.name).toBe('file-0001199');
    expect(s.requests.length).toBeLessThan(12);
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
