import { describe, expect, it } from 'vitest';
import { FILE_STATES } from '../../shared/domain';
import { deriveFileState } from './state-codes';

const state = (segmentCount: number, uploadedCount: number, missingCount: number) =>
  FILE_STATES[deriveFileState({ segmentCount, uploadedCount, missingCount })];

describe('deriveFileState', () => {
  it.each([
    [10, 0, 0, 'indexed'],
    [10, 10, 0, 'uploaded'],
    [10, 4, 0, 'partial'],
    [10, 10, 1, 'partial'],
    [10, 0, 2, 'partial'],
    [3, 0, 3, 'missing'],
    [0, 0, 5, 'missing'],
    [0, 0, 0, 'indexed'],
  ])('%i segments, %i uploaded, %i missing -> %s', (segments, uploaded, missing, expected) => {
    expect(state(segments, uploaded, missing)).toBe(expected);
  });
});
