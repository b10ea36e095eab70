/** Writes a generated catalog as one NZB file (for import benchmarks and trials). */
import fs from 'node:fs';
import { once } from 'node:events';
import { NZB_EPILOGUE, NZB_PROLOGUE, nzbFile, nzbHead } from '../../electron/db/ingest/nzb/nzb-writer';
import { generateCatalog } from './catalog-generator';

export async function writeGeneratedNzb(target: string, segments: number, seed: number): Promise<{ files: number; bytes: number }> {
  const out = fs.createWriteStream(target);
  let files = 0;
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(NZB_PROLOGUE + nzbHead({ meta: { title: [`Generated ${segments} segments`], category: ['Test'] } }));
  for (const batch of generateCatalog({ segments, seed, source: 'nzb' })) {
    for (const f of batch.files) {
      files++;
      await write(
        nzbFile({
          subject: f.subject ?? f.path,
          poster: f.poster ?? null,
          date: f.postedAt == null ? null : Math.floor(f.postedAt / 1000),
          groups: f.groups ?? [],
          segments: f.segments.map((s) => ({ number: s.number, bytes: s.bytes, messageId: s.messageId ?? `${s.number}@missing` })),
        }),
      );
    }
  }
  await write(NZB_EPILOGUE);
  out.end();
  await once(out, 'finish');
  return { files, bytes: fs.statSync(target).size };
}
