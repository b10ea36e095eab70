/** The segment sizes Settings offers: what Usenet posters use, around the 768,000-byte default. */
import { DEFAULT_SEGMENT_BYTES } from '../../../../shared/domain';

export const SEGMENT_SIZES = [384_000, 512_000, 716_800, DEFAULT_SEGMENT_BYTES, 1_000_000, 1_536_000, 2_000_000] as const;

/** The offered sizes, with the current one included when it is a size of its own. */
export function segmentSizeOptions(current: number): number[] {
  const all = new Set<number>([...SEGMENT_SIZES, current]);
  return [...all].sort((a, b) => a - b);
}

export function segmentSizeLabel(bytes: number): string {
  const kb = bytes / 1000;
  const text = `${Number.isInteger(kb) ? kb.toLocaleString('en-US') : kb.toFixed(1)} KB (${bytes.toLocaleString('en-US')} bytes)`;
  return bytes === DEFAULT_SEGMENT_BYTES ? `${text}, the default` : text;
}
