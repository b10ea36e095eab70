/**
 * The read workload of the query benchmark: what the app does while a user browses —
 * open a file's segment list, page through a folder or a whole collection in every sort
 * order, and search with the query shapes people type.
 */
import type { CatalogStore, FileSort, SortDirection } from '../../electron/db/store';
import { Rng } from '../generate/rng';
import * as V from '../generate/vocabulary';
import { log, summarize } from './bench-utils';

const SORTS: FileSort[] = ['name', 'size', 'date', 'state'];
const DIRECTIONS: SortDirection[] = ['asc', 'desc'];

function searchQuery(rng: Rng): string {
  const word = (): string => (rng.chance(0.5) ? rng.pick(V.ADJECTIVES) : rng.pick(V.NOUNS)).toLowerCase();
  switch (rng.int(0, 5)) {
    case 0:
      return word();
    case 1:
      return `${word()} ${word()}`;
    case 2:
      return `${word().slice(0, 4)}*`;
    case 3:
      return `"${rng.pick(V.ADJECTIVES)} ${rng.pick(V.NOUNS)}"`.toLowerCase();
    case 4:
      return `${word()} -flac`;
    default:
      return `${word()} OR ${word()}`;
  }
}

export interface WorkloadResult {
  segments_ms: ReturnType<typeof summarize>;
  page_ms: ReturnType<typeof summarize>;
  search_ms: ReturnType<typeof summarize>;
}

export async function runQueryWorkload(store: CatalogStore, samples: number, seed: number): Promise<WorkloadResult> {
  const rng = new Rng(seed);
  const stats = await store.stats();
  const [collection] = await store.listCollections();
  if (!collection) throw new Error('the benchmark catalog has no collection');
  const folders: number[] = [];
  for (const page of [await store.listFolders({ collectionId: collection.id, limit: 1000 })]) {
    for (const top of page.items) {
      const children = await store.listFolders({ collectionId: collection.id, parentId: top.id, limit: 1000 });
      folders.push(top.id, ...children.items.map((f) => f.id));
    }
  }

  const segmentTimes: number[] = [];
  for (let i = 0; i < samples; i++) {
    const fileId = rng.int(1, stats.files);
    const t = performance.now();
    await store.getSegments({ fileId });
    segmentTimes.push(performance.now() - t);
  }

  log(`  segment lists done (${samples})`);
  const pageTimes: number[] = [];
  while (pageTimes.length < samples) {
    const wholeCollection = rng.chance(0.3);
    const query = {
      collectionId: collection.id,
      folderId: wholeCollection ? null : rng.pick(folders),
      sort: rng.pick(SORTS),
      direction: rng.pick(DIRECTIONS),
      limit: 200,
    };
    let cursor: string | null = null;
    for (let p = 0; p < 5; p++) {
      const t = performance.now();
      const page = await store.listFiles({ ...query, cursor });
      pageTimes.push(performance.now() - t);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
  }

  log(`  keyset pages done (${pageTimes.length})`);
  const searchTimes: number[] = [];
  for (let i = 0; i < Math.min(samples, 1000); i++) {
    const q = searchQuery(rng);
    const t = performance.now();
    await store.search({ query: q, limit: 50 });
    searchTimes.push(performance.now() - t);
  }
  return { segments_ms: summarize(segmentTimes), page_ms: summarize(pageTimes), search_ms: summarize(searchTimes) };
}

/** The figures every query report prints, named as in docs/benchmarks.md. */
export function latencyFields(r: WorkloadResult): Record<string, number> {
  return {
    segments_p50_ms: r.segments_ms.p50,
    segments_p99_ms: r.segments_ms.p99,
    page_p50_ms: r.page_ms.p50,
    page_p99_ms: r.page_ms.p99,
    search_p50_ms: r.search_ms.p50,
    search_p95_ms: r.search_ms.p95,
  };
}
