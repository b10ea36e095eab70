import { describe, expect, it } from 'vitest';
import { checkCollectionName, checkFileIds, checkLimit, checkOffset } from './validate';
import { CONTRACT } from '../../shared/ipc/contract';
import { LIMITS } from '../../shared/limits';
import { parseSearchQuery } from '../../shared/search-query';

// One bound, two gates: what the IPC contract lets through is exactly what the store front
// accepts, at the limit and one past it.
describe('limits shared by the contract and the store front', () => {
  const name = (n: number): string => 'n'.repeat(n);

  it('collection names', () => {
    for (const channel of ['collections/create', 'collections/rename'] as const) {
      const args = (n: number) => (channel === 'collections/create' ? { name: name(n), source: 'nzb' } : { id: 1, name: name(n) });
      expect(CONTRACT[channel].args.safeParse(args(LIMITS.collectionName)).success).toBe(true);
      expect(CONTRACT[channel].args.safeParse(args(LIMITS.collectionName + 1)).success).toBe(false);
    }
    expect(checkCollectionName(name(LIMITS.collectionName))).toHaveLength(LIMITS.collectionName);
    expect(() => checkCollectionName(name(LIMITS.collectionName + 1))).toThrow(/at most 200 characters/u);
  });

  it('search queries', () => {
    const args = (n: number) => ({ query: name(n) });
    expect(CONTRACT['search/query'].args.safeParse(args(LIMITS.searchQuery)).success).toBe(true);
    expect(CONTRACT['search/query'].args.safeParse(args(LIMITS.searchQuery + 1)).success).toBe(false);
    expect(() => parseSearchQuery(name(LIMITS.searchQuery))).not.toThrow();
    expect(() => parseSearchQuery(name(LIMITS.searchQuery + 1))).toThrow(/too long/u);
  });

  it('deletes, pages and offsets', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(CONTRACT['files/delete'].args.safeParse({ fileIds: ids(LIMITS.deleteFiles) }).success).toBe(true);
    expect(CONTRACT['files/delete'].args.safeParse({ fileIds: ids(LIMITS.deleteFiles + 1) }).success).toBe(false);
    expect(checkFileIds(ids(LIMITS.deleteFiles))).toHaveLength(LIMITS.deleteFiles);
    expect(() => checkFileIds(ids(LIMITS.deleteFiles + 1))).toThrow(/At most 10,000 files/u);
    expect(checkLimit(LIMITS.pageSize)).toBe(LIMITS.pageSize);
    expect(() => checkLimit(LIMITS.pageSize + 1)).toThrow(/from 1 to 1000/u);
    expect(checkOffset(LIMITS.searchOffset)).toBe(LIMITS.searchOffset);
    expect(() => checkOffset(LIMITS.searchOffset + 1)).toThrow(/from 0 to 100000/u);
  });
});
