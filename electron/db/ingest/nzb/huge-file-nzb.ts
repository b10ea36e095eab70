/**
 * Writes an NZB whose one file has `segments` segments (a 2M-segment file is about 140 MB),
 * streamed to disk with backpressure: the generator holds one chunk of lines, never the
 * document, so its own memory does not stand in for the importer's.
 */
import fs from 'node:fs';
import { once } from 'node:events';

const SEGMENT_BYTES = 768_000;
const LINES_PER_CHUNK = 4_096;

export interface HugeFileOptions {
  /** Smaller files written before the huge one, of `segmentsBefore` segments each (default 10). */
  filesBefore?: number;
  segmentsBefore?: number;
  /** Written after the huge file's last segment, inside its <segments>: a malformed tail for the all-or-nothing tests. */
  tail?: string;
}

export async function writeHugeFileNzb(file: string, segments: number, options: HugeFileOptions = {}): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE nzb PUBLIC "-//newzBin//DTD NZB 1.1//EN" "http://www.newzbin.com/DTD/nzb/nzb-1.1.dtd">\n');
  await write('<nzb xmlns="http://www.newzbin.com/DTD/2003/nzb">\n<head><meta type="title">One huge file</meta></head>\n');
  const before = options.segmentsBefore ?? 10;
  for (let f = 1; f <= (options.filesBefore ?? 0); f++) {
    let small = `<file poster="bench" date="1700000000" subject="[${f}] - &quot;small-${f}.bin&quot; yEnc (1/${before})">\n<groups><group>alt.binaries.test</group></groups>\n<segments>\n`;
    for (let n = 1; n <= before; n++) small += `<segment bytes="${SEGMENT_BYTES}" number="${n}">s${f}.${n}@bench.nzb</segment>\n`;
    await write(`${small}</segments>\n</file>\n`);
  }
  await write(`<file poster="bench &lt;bench@example.com&gt;" date="1700000000" subject="[1/1] - &quot;huge.bin&quot; yEnc (1/${segments})">\n`);
  await write('<groups><group>alt.binaries.test</group></groups>\n<segments>\n');
  let chunk = '';
  for (let n = 1; n <= segments; n++) {
    chunk += `<segment bytes="${SEGMENT_BYTES}" number="${n}">${n.toString(36)}.${((n * 2654435761) % 4294967296).toString(36)}@bench.nzb</segment>\n`;
    if (n % LINES_PER_CHUNK === 0) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(`${chunk}${options.tail ?? ''}</segments>\n</file>\n</nzb>\n`);
  out.end();
  await once(out, 'close');
}
