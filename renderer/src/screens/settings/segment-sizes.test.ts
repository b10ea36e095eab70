import { describe, expect, it } from 'vitest';
import { segmentSizeLabel, segmentSizeOptions } from './segment-sizes';

describe('segment size choices', () => {
  it('offers the usual sizes in order, with a custom current one among them', () => {
    expect(segmentSizeOptions(768_000)).toEqual([384_000, 512_000, 716_800, 768_000, 1_000_000, 1_536_000, 2_000_000]);
    expect(segmentSizeOptions(640_000)).toContain(640_000);
    expect(segmentSizeOptions(640_000).indexOf(640_000)).toBe(2);
  });
  it('labels sizes in kilobytes with the exact bytes', () => {
    expect(segmentSizeLabel(768_000)).toBe('768 KB (768,000 bytes), the default');
    expect(segmentSizeLabel(716_800)).toBe('716.8 KB (716,800 bytes)');
  });
});
