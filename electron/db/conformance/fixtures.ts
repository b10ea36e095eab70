/** Small hand-made catalogs for the conformance cases, with known names, sizes and states. */
import type { IngestBatch, IngestFile } from '../store';

export const seg = (number: number, bytes: number, extra: Partial<IngestFile['segments'][number]> = {}) => ({
  number,
  bytes,
  ...extra,
});

export function segmentsOf(count: number, bytes = 768_000, messagePrefix: string | null = null) {
  return Array.from({ length: count }, (_, i) =>
    seg(i + 1, i === count - 1 ? Math.max(1, Math.floor(bytes / 3)) : bytes, messagePrefix ? { messageId: `${messagePrefix}.${i + 1}@test` } : {}),
  );
}

/** A library with nested folders, mixed case names, equal sizes (ties) and every file state. */
export function libraryBatch(): IngestBatch {
  return {
    sources: [{ fileName: 'Dune.Part.Two.nzb', dupeKey: 'dune-key', title: 'Dune Part Two', category: 'Movies', passwords: ['spice'], tags: ['sci-fi'], meta: { x: ['1', '2'] } }],
    files: [
      {
        path: 'Movies/Dune.Part.Two.2024.2160p.mkv',
        size: 3_000_000,
        mtime: 1_700_000_000_000,
        subject: '[1/3] - "Dune.Part.Two.2024.2160p.mkv" yEnc (1/4)',
        groups: ['alt.binaries.movies', 'alt.binaries.hdtv'],
        sourceKey: 'dune-key',
        metadata: { origin: 'test' },
        segments: segmentsOf(4, 768_000, 'dune'),
      },
      {
        path: 'Movies/arrival.2016.1080p.mkv',
        size: 2_000_000,
        mtime: 1_600_000_000_000,
        subject: 'Arrival (2016) heptapod language',
        segments: segmentsOf(3),
      },
      {
        path: 'Movies/Extras/behind the scenes.mp4',
        size: 2_000_000,
        mtime: 1_650_000_000_000,
        subject: 'Dune featurette',
        segments: [seg(1, 768_000, { messageId: 'bts.1@test' }), seg(2, 768_000), seg(3, 464_000)],
      },
      {
        path: 'Music/Blade Runner OST/01 - Main Titles.flac',
        size: 30_000_000,
        postedAt: 1_500_000_000_000,
        subject: 'Vangelis - Main Titles',
        segments: segmentsOf(2, 768_000, 'br'),
        missingNumbers: 1,
      },
      {
        path: 'readme.txt',
        size: 1_000,
        segments: [seg(1, 1_000, { state: 'missing' })],
      },
      {
        path: 'Zebra notes.txt',
        size: 2_000,
        segments: [seg(1, 2_000, { hash: '00ff10aa20bb30cc' })],
      },
    ],
  };
}

/** `count` files in one folder named so that every sort order differs, with deliberate ties. */
export function manyFilesBatch(count: number, folder = 'Bulk'): IngestBatch {
  const files: IngestFile[] = [];
  for (let i = 0; i < count; i++) {
    const letter = String.fromCharCode(97 + (i * 7) % 26);
    const name = `${i % 3 === 0 ? letter.toUpperCase() : letter}${String((i * 37) % 101).padStart(3, '0')}-${i}.bin`;
    files.push({
      path: `${folder}/${name}`,
      size: ((i * 13) % 17) * 1000,
      mtime: i % 5 === 0 ? null : 1_600_000_000_000 + ((i * 7919) % 50) * 1000,
      segments: i % 4 === 0 ? segmentsOf(2, 500, `m${i}`) : segmentsOf(1 + (i % 3), 500),
    });
  }
  return { files };
}
