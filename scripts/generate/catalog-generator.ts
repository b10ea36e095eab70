/**
 * A realistic, deterministic, streaming catalog generator: photo albums, music albums, RAR
 * releases with PAR2 sets, TV seasons and documents, split into 768,000-byte segments with
 * message-ids and yEnc subjects. It yields batches, so 30M segments need no more memory than
 * one batch; the same seed always yields the same catalog.
 */
import { DEFAULT_SEGMENT_BYTES, type CollectionSource } from '../../shared/domain';
import type { IngestBatch, IngestFile, IngestSegment } from '../../electron/db/store';
import { Rng } from './rng';
import * as V from './vocabulary';

export interface GeneratorOptions {
  seed?: number;
  /** Exact number of segments to produce. */
  segments: number;
  /** nzb: every segment has a message-id (posted); local: hashed, and `uploadedShare` posted. */
  source?: CollectionSource;
  uploadedShare?: number;
  segmentBytes?: number;
  /** Approximate segments per yielded batch. */
  batchSegments?: number;
  /** Prefix for every generated path, so several runs can share one collection. */
  pathPrefix?: string;
}

interface PlannedFile {
  name: string;
  size: number;
  groups: string[];
}

interface PlannedRelease {
  folder: string;
  /** Documents accumulate in shared folders; every other release gets a folder of its own. */
  sharedFolder: boolean;
  files: PlannedFile[];
}

const MB = 1_000_000;
const BASE_DATE = Date.UTC(2015, 0, 1);
const DATE_SPAN = 10 * 365 * 24 * 3600 * 1000;

const titleOf = (rng: Rng): string => `${rng.pick(V.ADJECTIVES)} ${rng.pick(V.NOUNS)}`;
const dotted = (text: string): string => text.replace(/[^\p{L}\p{N}]+/gu, '.');
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** One "release": a folder's worth of related files, the unit real collections grow by. */
function planRelease(rng: Rng, serial: number): PlannedRelease {
  const roll = rng.next();
  const files: PlannedFile[] = [];
  let folder: string;
  let sharedFolder = false;
  if (roll < 0.3) {
    const year = rng.int(2008, 2025);
    folder = `Photos/${year}/${year}-${pad(rng.int(1, 12))} ${rng.pick(V.PLACES)} ${rng.pick(V.EVENTS)}`;
    const count = rng.int(20, 160);
    const first = rng.int(1000, 8000);
    for (let i = 0; i < count; i++) {
      const name = rng.chance(0.8) ? `IMG_${first + i}.JPG` : `DSC${pad(first + i, 5)}.ARW`;
      files.push({ name, size: rng.int(2 * MB, 14 * MB), groups: ['alt.binaries.pictures'] });
    }
  } else if (roll < 0.55) {
    const band = rng.pick(V.NOUNS);
    const artist = `The ${rng.pick(V.ADJECTIVES)} ${band}${band.endsWith("s") ? "es" : "s"}`;
    const album = titleOf(rng);
    folder = `Music/${artist}/${rng.int(1970, 2025)} - ${album}`;
    const tracks = rng.int(8, 16);
    for (let t = 1; t <= tracks; t++) {
      const name = `${pad(t)} - ${titleOf(rng)}.flac`;
      files.push({ name, size: rng.int(12 * MB, 60 * MB), groups: ['alt.binaries.sounds.flac'] });
    }
    files.push({ name: 'cover.jpg', size: rng.int(200_000, 3 * MB), groups: ['alt.binaries.sounds.flac'] });
  } else if (roll < 0.7) {
    const release = `${dotted(titleOf(rng))}.${rng.int(1990, 2025)}.${rng.pick(V.VIDEO_TAGS)}-${rng.pick(V.GROUPS)}`;
    folder = `Usenet/${release}`;
    const parts = rng.int(5, 30);
    const partSize = rng.pick([50 * MB, 100 * MB]);
    const lower = release.toLowerCase();
    for (let p = 1; p <= parts; p++) {
      const name = `${lower}.part${pad(p, parts >= 100 ? 3 : 2)}.rar`;
      const size = p === parts ? rng.int(MB, partSize) : partSize;
      files.push({ name, size, groups: ['alt.binaries.multimedia', 'alt.binaries.boneless'] });
    }
    files.push({ name: `${lower}.par2`, size: rng.int(20_000, 60_000), groups: ['alt.binaries.multimedia'] });
    for (let v = 0, n = 1; v < 3; v++, n *= 2) {
      const name = `${lower}.vol${pad(n * 4, 3)}+${pad(n * 4, 2)}.par2`;
      files.push({ name, size: rng.int(2 * MB, 20 * MB), groups: ['alt.binaries.multimedia'] });
    }
    files.push({ name: `${lower}.nfo`, size: rng.int(2_000, 12_000), groups: ['alt.binaries.multimedia'] });
  } else if (roll < 0.72) {
    const show = titleOf(rng);
    const season = rng.int(1, 8);
    const tag = rng.pick(V.VIDEO_TAGS);
    const group = rng.pick(V.GROUPS);
    const episodes = rng.int(6, 12);
    folder = `TV/${show}/Season ${pad(season)}`;
    for (let e = 1; e <= episodes; e++) {
      const name = `${dotted(show)}.S${pad(season)}E${pad(e)}.${dotted(titleOf(rng))}.${tag}-${group}.mkv`;
      files.push({ name, size: rng.int(300 * MB, 2_500 * MB), groups: ['alt.binaries.teevee'] });
    }
  } else {
    const topic = rng.pick(V.DOC_TOPICS);
    const year = rng.int(2010, 2025);
    const count = rng.int(5, 60);
    folder = `Documents/${topic}/${year}`;
    sharedFolder = true;
    for (let d = 0; d < count; d++) {
      const word = rng.pick(V.DOC_WORDS);
      const name = `${year}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))} ${word} ${rng.pick(V.NOUNS).toLowerCase()} ${serial}-${d}.pdf`;
      files.push({ name, size: rng.logUniform(40_000, 25 * MB), groups: ['alt.binaries.ebook'] });
    }
  }
  return { folder, sharedFolder, files };
}

/** yEnc article size for a part of `raw` bytes: ~2% escaping overhead plus headers. */
const encodedBytes = (raw: number): number => Math.round(raw * 1.0203) + 280;

export function* generateCatalog(options: GeneratorOptions): Generator<IngestBatch> {
  const total = options.segments;
  if (!Number.isSafeInteger(total) || total < 0) throw new Error('segments must be a whole number from 0');
  const rng = new Rng(options.seed ?? 1);
  const source = options.source ?? 'nzb';
  const uploadedShare = source === 'nzb' ? 1 : (options.uploadedShare ?? 0.5);
  const segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  const batchSegments = options.batchSegments ?? 50_000;
  const prefix = options.pathPrefix ? `${options.pathPrefix.replace(/\/+$/u, '')}/` : '';

  let produced = 0;
  let serial = 0;
  let batch: IngestFile[] = [];
  let batchCount = 0;
  // Release folders already used; about one per 40 files, so bounded by the catalog's shape.
  const usedFolders = new Set<string>();
  while (produced < total) {
    serial++;
    const release = planRelease(rng, serial);
    let folder = `${prefix}${release.folder}`;
    if (!release.sharedFolder) {
      if (usedFolders.has(folder)) folder = `${folder} (${serial})`;
      usedFolders.add(folder);
    }
    const postedAt = BASE_DATE + Math.floor(rng.next() * DATE_SPAN);
    const poster = rng.pick(V.POSTERS);
    const domain = rng.pick(V.MESSAGE_ID_DOMAINS);
    const uploaded = rng.chance(uploadedShare);
    const files = release.files;
    for (let index = 0; index < files.length && produced < total; index++) {
      const planned = files[index] as PlannedFile;
      const path = `${folder}/${planned.name}`;

      let size = planned.size;
      let count = Math.max(1, Math.ceil(size / segmentBytes));
      if (produced + count > total) {
        count = total - produced;
        size = Math.min(size, count * segmentBytes);
      }
      const segments = new Array<IngestSegment>(count);
      for (let n = 1; n <= count; n++) {
        const raw = n < count ? segmentBytes : size - (count - 1) * segmentBytes;
        const segment: IngestSegment = { number: n, bytes: source === 'nzb' ? encodedBytes(raw) : raw };
        if (source === 'local') segment.hash = rng.hex(16);
        if (uploaded) segment.messageId = `${rng.hex(24)}@${domain}`;
        segments[n - 1] = segment;
      }
      const fileNumber = pad(index + 1, files.length >= 100 ? 3 : 2);
      const file: IngestFile = {
        path,
        size,
        segments,
        subject: `[${fileNumber}/${files.length}] - "${planned.name}" yEnc (1/${count}) ${size}`,
        groups: planned.groups,
      };
      if (source === 'local') {
        file.mtime = postedAt - rng.int(0, 400) * 86_400_000;
        file.contentHash = rng.hex(16);
      } else {
        file.postedAt = postedAt;
        file.poster = poster;
      }
      batch.push(file);
      batchCount += count;
      produced += count;
      if (batchCount >= batchSegments) {
        yield { files: batch };
        batch = [];
        batchCount = 0;
      }
    }
  }
  if (batch.length > 0) yield { files: batch };
}
