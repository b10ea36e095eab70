/**
 * The sample catalog of the first-run screen: a collection filled by the project's own
 * generator (photo albums, music, RAR releases with PAR2 sets, TV seasons, documents), so a
 * new user can look around before importing anything. Bounded by the contract; cancellable.
 */
import { generateCatalog } from '../../../scripts/generate/catalog-generator';
import { SAMPLE_DEFAULT_SEGMENTS } from '../../../shared/ipc/app-schemas';
import type { Collection } from '../../../shared/domain';
import type { CatalogStore } from '../store';

export const SAMPLE_NAME = 'Sample catalog';

/** "Sample catalog", or "Sample catalog 2", 3… when the user asked for one before. */
export function sampleName(taken: ReadonlySet<string>): string {
  const lower = new Set([...taken].map((n) => n.toLowerCase()));
  if (!lower.has(SAMPLE_NAME.toLowerCase())) return SAMPLE_NAME;
  for (let n = 2; ; n++) if (!lower.has(`${SAMPLE_NAME} ${n}`.toLowerCase())) return `${SAMPLE_NAME} ${n}`;
}

export interface SampleOptions {
  segments?: number;
  signal?: AbortSignal;
  onProgress?: (p: { segments: number; total: number; files: number }) => void;
}

export async function createSampleCatalog(
  store: CatalogStore,
  options: SampleOptions,
): Promise<{ collection: Collection; files: number; segments: number; bytes: number; elapsedMs: number }> {
  const total = options.segments ?? SAMPLE_DEFAULT_SEGMENTS;
  const name = sampleName(new Set((await store.listCollections()).map((c) => c.name)));
  const created = await store.createCollection({ name, source: 'nzb' });
  try {
    const r = await store.ingest(created.id, generateCatalog({ segments: total, seed: 1 }), {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.({ segments: p.segments, total, files: p.files }),
    });
    return { collection: await store.getCollection(created.id), files: r.files, segments: r.segments, bytes: r.bytes, elapsedMs: r.elapsedMs };
  } catch (error) {
    // A cancelled or failed sample leaves nothing behind: half a sample is no use to anyone.
    await store.deleteCollection(created.id).catch(() => undefined);
    throw error;
  }
}
