import { describe, expect, it } from 'vitest';
import { DEFAULT_SEGMENT_BYTES } from '../../shared/domain';
import { checkIngestFile } from '../../electron/db/validate';
import { generateCatalog } from './catalog-generator';

const flatten = (segments: number, seed: number, source: 'nzb' | 'local' = 'nzb') => [...generateCatalog({ segments, seed, source })];

describe('generateCatalog', () => {
  it('produces exactly the requested number of segments', () => {
    for (const n of [1, 999, 50_001]) {
      const total = flatten(n, 3).reduce((sum, b) => sum + b.files.reduce((m, f) => m + f.segments.length, 0), 0);
      expect(total).toBe(n);
    }
  });

  it('is deterministic for a seed and different across seeds', () => {
    expect(JSON.stringify(flatten(20_000, 9))).toBe(JSON.stringify(flatten(20_000, 9)));
    expect(JSON.stringify(flatten(20_000, 9))).not.toBe(JSON.stringify(flatten(20_000, 10)));
  });

  it('yields valid, unique files with 768,000-byte segments and consistent sizes', () => {
    const paths = new Set<string>();
    for (const batch of flatten(200_000, 5)) {
      for (const file of batch.files) {
        checkIngestFile(file);
        expect(paths.has(file.path), file.path).toBe(false);
        paths.add(file.path);
        expect(file.segments.length).toBe(Math.max(1, Math.ceil(file.size / DEFAULT_SEGMENT_BYTES)));
        expect(file.subject).toContain(`"${file.path.split('/').pop()}" yEnc (1/${file.segments.length})`);
        for (const s of file.segments) expect(s.messageId).toMatch(/^[0-9a-f]{24}@[\w.]+$/u);
      }
    }
    expect(paths.size).toBeGreaterThan(3_000);
  });

  it('hashes local collections and posts a share of them', () => {
    const files = flatten(100_000, 2, 'local').flatMap((b) => b.files);
    expect(files.every((f) => f.segments.every((s) => /^[0-9a-f]{16}$/u.test(s.hash ?? '')))).toBe(true);
    expect(files.every((f) => f.segments.reduce((n, s) => n + s.bytes, 0) === f.size)).toBe(true);
    const posted = files.filter((f) => f.segments[0]?.messageId).length;
    expect(posted).toBeGreaterThan(0);
    expect(posted).toBeLessThan(files.length);
  });

  it('streams: batches stay near their size, so memory is bounded by one batch', () => {
    let batches = 0;
    for (const batch of generateCatalog({ segments: 300_000, seed: 1, batchSegments: 10_000 })) {
      const n = batch.files.reduce((m, f) => m + f.segments.length, 0);
      // A batch closes once it reaches its size; one large file can carry it past.
      expect(n).toBeLessThan(10_000 + 4_000);
      batches++;
    }
    expect(batches).toBeGreaterThanOrEqual(25);
  });
});
